"""Pipeline step 4: SSWS authentication under /api/ (docs/decisions 01, 03, 04).

The decision itself is tokens/auth.py's; this middleware only puts it on the
request, answers a 401 at once, and renews the token on the way out. A 403
refusal (an agent's token, a request from outside the token's zones) is left to
the rate limiter, which counts it against the token and answers it with its
X-Rate-Limit headers. Renewal (docs/decisions/04) happens only when the request passed
authentication, the network check and the rate limiter (which answers 429 from
inside this middleware's get_response); for an agent's token, whose every API
request is refused for privilege, that refusal is its use (docs/decisions/07, auth.renews)."""

from django.http import HttpRequest, HttpResponse

from api.middleware import client_ip, is_api
from tokens import auth


class SSWSAuthentication:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.ssws, request.api_token = None, None
        header = request.META.get("HTTP_AUTHORIZATION")
        if header is None or not is_api(request):
            return self.get_response(request)  # console, or API by session
        decision = auth.authenticate(header, client_ip(request), request)
        auth.attach(request, decision)
        if isinstance(decision, auth.Refused) and decision.status == 401:
            return auth.refusal_response(decision)
        response = self.get_response(request)
        used = auth.renews(request.ssws, response.status_code)  # the rate limiter may have decided again
        if used is not None:
            auth.renew(used, getattr(request, "token_usage", None))
        return response
