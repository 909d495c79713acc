"""GET /api/v1/logs (docs/okta-contract.md §5) and GET /api/v1/events (Okta's deprecated v1 Events API,
logs/events.py)."""

from django.http import HttpResponse

from accounts.permissions import Perm, require
from api.decorators import api_view
from api.http import ApiRequest, OktaJsonResponse
from api.pagination import page_url, parse_limit
from logs import events
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


@api_view(["GET"])
def api_events(request: ApiRequest) -> HttpResponse:
    require(request, Perm.SYSLOG_READ)  # the same readers as /api/v1/logs, and the same rate-limit group
    limit = parse_limit(request, default=1000, maximum=1000, minimum=0, refuse_over_maximum=True)
    page = events.search(request.GET, limit=limit)
    # A polling feed: `next` on every page, even an empty one (Okta's "you have caught up").
    links = [("self", page_url(request)), ("next", page_url(request, after=page.next_cursor))]
    return OktaJsonResponse([events.to_v1(event) for event in page.events], links=links)
