"""Warden's OpenAPI document, served at /api/v1/openapi.json.

It is Okta's own specification for the endpoints Warden serves (the subset in
api/spec/, see NOTICE there), adjusted to what real Okta responses look like
(docs/okta-contract.md §8-9), because real clients were written against those:
- every property that is not `required` may be `null`, as in real responses;
- `ApiToken._link` is `_links` (the spec's typo);
- each subtype a discriminator maps to is pinned to its discriminator values,
  because plain JSON Schema validators (schemathesis, jsonschema) ignore
  `discriminator` and an IP zone otherwise matches every zone subtype's `oneOf`;
- the 400s Warden answers (as Okta does) where the spec lists none: a bad list
  `filter`/`limit`, deleting a zone that may not be deleted (docs/decisions/12),
  activating a blocklist that holds the caller's own IP (docs/decisions/16);
- `ApiTokenUpdate.network` is required: a PUT without it is refused (400), never read as
  "any IP" (Okta documents nothing for that case, and a missing network must not widen access);
- `info` names Warden; `servers` is the host serving the document;
- Warden's additions, where Okta's subset lacks what Warden serves, come from
  api/spec/warden-additions.json (its `x-warden` says why): GET /api/v1/events, the
  deprecated v1 Events API, and its Event schemas. They are merged before the
  adjustments above, so they get the same treatment as Okta's own.
Keeping Okta's schemas (instead of writing our own) is what makes "consistent
with okta-subset.yaml where they overlap" true by construction."""

import copy
import json
from functools import lru_cache
from pathlib import Path

SPEC = Path(__file__).resolve().parent / "spec" / "okta-subset.json"
ADDITIONS = SPEC.with_name("warden-additions.json")


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


def _pin_discriminators(document: dict) -> None:
    """For every `discriminator.mapping`, add to each mapped schema `allOf: [{properties:
    {<property>: {enum: [the values mapped to it]}}}]`: what the mapping already says,
    in a form validators that ignore `discriminator` understand."""
    values: dict[str, dict[str, list[str]]] = {}  # schema name -> property -> values

    def collect(node):
        if isinstance(node, list):
            for item in node:
                collect(item)
        elif isinstance(node, dict):
            discriminator = node.get("discriminator")
            if isinstance(discriminator, dict):
                prop = discriminator["propertyName"]
                for value, ref in discriminator.get("mapping", {}).items():
                    enum = values.setdefault(ref.rsplit("/", 1)[-1], {}).setdefault(prop, [])
                    if value not in enum:
                        enum.append(value)
            for child in node.values():
                collect(child)

    collect(document)
    schemas = document["components"]["schemas"]
    for name, pinned in values.items():
        schemas[name].setdefault("allOf", []).append(
            {"properties": {prop: {"enum": enum} for prop, enum in pinned.items()}}
        )


# Every operation may answer 400: a query parameter holding a control character is refused before any
# view runs (api/middleware.py, issue 16.7), and some answer 400 for their own reasons too, although
# Okta's spec lists no 400 for them (module docstring).
HTTP_METHODS = {"get", "put", "post", "delete", "patch"}


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
    additions = json.loads(ADDITIONS.read_text())
    document["paths"].update(additions["paths"])
    document["components"]["schemas"].update(additions["components"]["schemas"])
    schemas = document["components"]["schemas"]
    token = schemas.get("ApiToken", {}).get("properties", {})
    if "_link" in token:
        token["_links"] = token.pop("_link")
    update = schemas.get("ApiTokenUpdate")
    if update is not None:
        update["required"] = sorted({*update.get("required", []), "network"})
    _nullable_optionals(schemas)
    _pin_discriminators(document)
    for operations in document["paths"].values():
        for method, operation in operations.items():
            if method in HTTP_METHODS:
                operation["responses"].setdefault("400", {"$ref": "#/components/responses/ErrorApiValidationFailed400"})
    return document
