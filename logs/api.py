"""GET /api/v1/logs (docs/okta-contract.md §5)."""

from django.http import HttpResponse

from accounts.permissions import Perm, require
from api.decorators import api_view
from api.http import ApiRequest, OktaJsonResponse
from api.pagination import page_url, parse_limit
from syslog.query import search


@api_view(["GET"])
def api_logs(request: ApiRequest) -> HttpResponse:
    require(request, Perm.SYSLOG_READ)
    limit = parse_limit(request, default=100, maximum=1000, minimum=0)
    page = search(request.GET, limit=limit)
    links = [("self", page_url(request))]
    if page.next_cursor:
        # Every parameter of the request repeats; only `after` is added (docs/decisions/08).
        links.append(("next", page_url(request, after=page.next_cursor)))
    return OktaJsonResponse([event.to_okta() for event in page.events], links=links)
