"""Check real responses against Warden's OpenAPI document (api/openapi.py).

OpenAPI 3.0 schemas become JSON Schema (docs/okta-contract.md §9): `nullable` becomes a
null alternative, `discriminator`/`example(s)` are dropped, and `oneOf`
becomes `anyOf` (the zone subtypes overlap once discriminators are gone)."""

import json
from functools import lru_cache

import jsonschema

from api.openapi import warden_openapi


def _convert(schema):
    if isinstance(schema, list):
        return [_convert(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        return {"$ref": schema["$ref"]}
    converted = {}
    for key, value in schema.items():
        if key in ("discriminator", "example", "examples", "nullable", "x-original-pattern"):
            continue
        converted["anyOf" if key == "oneOf" else key] = _convert(value)
    if schema.get("nullable"):
        converted = {"anyOf": [{"type": "null"}, converted]}
    return converted


@lru_cache(maxsize=1)
def _root() -> dict:
    document = warden_openapi()
    return {"components": {"schemas": {name: _convert(s) for name, s in document["components"]["schemas"].items()}}}


def _resolve(node: dict) -> dict:
    document = warden_openapi()
    while "$ref" in node:
        parts = node["$ref"].lstrip("#/").split("/")
        node = document
        for part in parts:
            node = node[part]
    return node


def assert_conforms(response, method: str, path: str) -> None:
    """`path` is the document's path template, e.g. "/api/v1/zones/{zoneId}"."""
    operation = warden_openapi()["paths"][path][method.lower()]
    status = str(response.status_code)
    documented = operation["responses"].get(status) or operation["responses"].get("default")
    assert documented is not None, f"{method} {path} answered {status}, which the document does not list"
    content = _resolve(documented).get("content", {})
    if not content:
        assert not response.content, f"{method} {path} {status} should have no body"
        return
    media = content.get("application/json") or next(iter(content.values()))
    schema = _convert(media["schema"])
    body = json.loads(response.content)
    jsonschema.Draft7Validator({**_root(), **schema}).validate(body)
