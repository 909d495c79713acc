"""Okta wire details shared by every JSON view: the request as the pipeline leaves it,
timestamps, HAL links, absolute URLs and a JSON response that can carry several `Link` lines."""

from datetime import UTC, datetime

from django.http import HttpRequest, JsonResponse


class ApiRequest(HttpRequest):
    """What the pipeline adds to a request under /api/, for type hints (as healthchecks' ApiRequest).

    The objects of higher apps are typed loosely here, because `api` sits below them all."""

    okta_request_id: str  # api.middleware.RequestContext: X-Okta-Request-Id, the System Log transaction id
    client_ip: str  # zones.middleware.ClientIP: the address nobody can spoof
    ssws: object | None  # tokens.middleware: tokens.auth.Accepted | tokens.auth.Refused; None without SSWS
    # The token the request is identified by (accepted, or refused with 403), else None; `user` is then
    # its owner. Views and permissions read these two, never `ssws`.
    api_token: object | None  # tokens.models.ApiToken
    token_usage: dict  # ratelimits.middleware, when the token's renewal is due: its usage summary to write with it


def okta_time(value: datetime | None) -> str | None:
    """`2025-11-02T14:47:13.000Z`: UTC with milliseconds, as real Okta sends."""
    if value is None:
        return None
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def absolute(request: HttpRequest | None, path: str) -> str:
    """An absolute URL on the host the client called (the .NET SDK follows links verbatim)."""
    if request is None:
        return path
    return request.build_absolute_uri(path)


def link(request: HttpRequest | None, path: str, *allow: str) -> dict:
    return {"href": absolute(request, path), "hints": {"allow": list(allow)}}


class OktaJsonResponse(JsonResponse):
    """JSON with `Content-Type: application/json` (okta-python parses errors only
    for exactly that type) and one `Link` header line per relation: Go SDKs split a
    combined value wrongly and okta-python keeps only the last line, so `next`
    goes last (docs/okta-contract.md §1.5). Django's header map holds one value per name,
    so the extra lines are added where the WSGI handler reads headers."""

    def __init__(self, data, *, links: list[tuple[str, str]] | None = None, **kwargs):
        kwargs.setdefault("safe", False)
        kwargs.setdefault("content_type", "application/json")
        super().__init__(data, **kwargs)
        self.link_headers = [f'<{url}>; rel="{rel}"' for rel, url in (links or [])]

    def items(self):
        yield from super().items()
        for value in self.link_headers:
            yield ("Link", value)
