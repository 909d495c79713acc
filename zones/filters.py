"""`filter=` for GET /api/v1/zones: `id`, `usage` and `system`, `eq` only
(docs/okta-contract.md §3), e.g. `usage eq "BLOCKLIST"`, `system eq true`,
`(id eq "nzoA" or id eq "nzoB")`; anything else is 400 E0000031."""

from django.db.models import Q

from api import filters

FIELDS = {
    "id": filters.Field("id"),
    "usage": filters.Field("usage"),
    "system": filters.Field("system", boolean=True),
}


def parse_filter(text: str | None) -> Q:
    return filters.parse_filter(text, FIELDS)
