"""Cursor pagination with `Link` headers (docs/decisions/08, docs/okta-contract.md §1.5).

Keyset on a unique, stable column (the Okta id by default): page 50 costs what
page 1 costs. `after` is the key of the last item returned; `next` is absolute
and repeats every query parameter of the request, adding only `after`."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest

from api.errors import ApiError
from api.http import OktaJsonResponse


def parse_limit(
    request: HttpRequest,
    *,
    default: int,
    maximum: int,
    minimum: int = 1,
    minus_one_means_all: bool = False,
    refuse_over_maximum: bool = False,
) -> int:
    raw = request.GET.get("limit")
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ApiError("E0000001", "limit", [f"limit: must be an integer between {minimum} and {maximum}"]) from exc
    if minus_one_means_all and value == -1:
        return maximum  # Okta's spec: -1 = everything; the largest page, with `next` for the rest
    if value < minimum or (refuse_over_maximum and value > maximum):
        raise ApiError("E0000001", "limit", [f"limit: must be an integer between {minimum} and {maximum}"])
    return min(value, maximum)  # Okta clamps an over-large limit rather than refusing it (but /api/v1/events)


def page_url(request: HttpRequest, **replace: str | None) -> str:
    """The request's own absolute URL with some query parameters replaced (None drops one).
    urlencode percent-encodes commas, spaces and quotes, which the .NET SDK needs."""
    params = [(k, v) for k, v in request.GET.items() if k not in replace]
    params += [(k, v) for k, v in replace.items() if v is not None]
    query = urlencode(params)
    return request.build_absolute_uri(request.path + (f"?{query}" if query else ""))


def paginate(
    request: HttpRequest,
    queryset: QuerySet,
    serialize: Callable,
    *,
    key: str = "id",
    default_limit: int = 20,
    max_limit: int = 200,
    minus_one_means_all: bool = False,
) -> OktaJsonResponse:
    limit = parse_limit(request, default=default_limit, maximum=max_limit, minus_one_means_all=minus_one_means_all)
    after = request.GET.get("after")
    rows = queryset.order_by(key)
    if after:
        rows = rows.filter(**{f"{key}__gt": after})
    items = list(rows[: limit + 1])
    links = [("self", page_url(request))]
    if len(items) > limit:
        items = items[:limit]
        links.append(("next", page_url(request, after=str(getattr(items[-1], key)))))
    return OktaJsonResponse([serialize(item) for item in items], links=links)
