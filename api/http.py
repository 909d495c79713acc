"""Okta wire details shared by every JSON view: timestamps, HAL links,
absolute URLs and a JSON response that can carry several `Link` lines."""

from datetime import UTC, datetime

from django.http import HttpRequest, JsonResponse


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
    goes last (CONTRACT.md §1.5). Django's header map holds one value per name,
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
