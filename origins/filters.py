"""`filter=` and `q=` for GET /api/v1/trustedOrigins (docs/okta-contract.md §4): filter on
name, origin, status and type (a scope type), `eq`, with the shared SCIM
parser; q is a prefix match on name or origin."""

from django.db.models import Q

from api import filters


def _type(operator: str, value: str) -> Q:
    return Q(scope_index__contains=f" {value} ") if value.strip() == value and value else Q(pk__in=[])


FIELDS = {
    "name": filters.Field("name"),
    "origin": filters.Field("origin"),
    "status": filters.Field("status"),
    "type": filters.Field(_type),
}


def parse_filter(text: str | None) -> Q:
    return filters.parse_filter(text, FIELDS)


def parse_q(text: str | None) -> Q:
    if not text:
        return Q()
    return Q(name__istartswith=text) | Q(origin__istartswith=text)
