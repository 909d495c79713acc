"""Warden's OpenAPI document, served at /api/v1/openapi.json.

It is Okta's own specification for the endpoints Warden serves (the subset in
api/spec/, see NOTICE there), adjusted to what real Okta responses look like
(CONTRACT.md §8-9), because real clients were written against those:
- every property that is not `required` may be `null`, as in real responses;
- `ApiToken._link` is `_links` (the spec's typo);
- `info` names Warden; `servers` is the host serving the document.
Keeping Okta's schemas (instead of writing our own) is what makes "consistent
with okta-subset.yaml where they overlap" true by construction."""

import copy
import json
from functools import lru_cache
from pathlib import Path

SPEC = Path(__file__).resolve().parent / "spec" / "okta-subset.json"


def _nullable_optionals(schema):
    """Mark non-required properties nullable, recursively (real Okta sends null freely)."""
    if isinstance(schema, list):
        for item in schema:
            _nullable_optionals(item)
        return
    if not isinstance(schema, dict):
        return
    properties = schema.get("properties")
    if isinstance(properties, dict):
        required = set(schema.get("required", []))
        for name, prop in properties.items():
            if name not in required and isinstance(prop, dict):
                if "$ref" in prop:  # OpenAPI 3.0 ignores siblings of $ref: wrap it
                    properties[name] = {"allOf": [prop], "nullable": True}
                else:
                    prop["nullable"] = True
    for value in schema.values():
        _nullable_optionals(value)


@lru_cache(maxsize=1)
def warden_openapi() -> dict:
    spec = json.loads(SPEC.read_text())
    document = copy.deepcopy(spec)
    document["info"] = {
        "title": "Warden Management API",
        "version": "1.0.0",
        "description": "Okta Management API subset served by Warden: API tokens, network zones, trusted origins, "
        "System Log, users, roles and org. Schemas are Okta's (Apache-2.0, Copyright Okta, Inc.), with "
        "non-required properties nullable as in real Okta responses.",
        "license": spec["info"]["license"],
        "x-derived-from": spec["info"].get("x-subset-of"),
    }
    document["servers"] = [{"url": "/"}]
    document.pop("x-logo", None)
    schemas = document["components"]["schemas"]
    token = schemas.get("ApiToken", {}).get("properties", {})
    if "_link" in token:
        token["_links"] = token.pop("_link")
    _nullable_optionals(schemas)
    return document
