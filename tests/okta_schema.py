"""Strict validation of responses against Okta's own schema (issue 14): the
okta-subset.yaml of the wire contract, kept in the repository as
api/spec/okta-subset.json, *not* Warden's published document (api/openapi.py,
which lets every optional field be null).

OpenAPI 3.0 becomes JSON Schema draft 7 the strict way:
- `nullable: true` allows null; nothing else does, except the fields listed in
  REAL_OKTA_NULLS below, each one a field real Okta sends as null although its
  schema does not say so (CONTRACT.md §8 #4). `expiresAt` and `tokenWindow` are
  deliberately not there: clients read them as non-nullable (issue 14).
- `additionalProperties`, `required`, `enum`, `pattern`, `minLength`/`maxLength`
  and types as the schema has them; `format` checked where jsonschema can
  (date-time through rfc3339-validator).
- `oneOf` + `discriminator` becomes "the subtype the discriminator names": the
  mapped values are the only ones allowed and each selects its schema
  (`if`/`then`). A `discriminator` on a base schema that its subtypes extend
  (NetworkZone) is dropped, as the subtypes already say what they allow.
- `example(s)` are dropped; the spec's `ApiToken._link` typo is read as
  `_links` (CONTRACT.md §8 #2), so the links are checked, not ignored; the
  enum values real Okta sends beyond the spec's are in REAL_OKTA_ENUM_VALUES.

`assert_okta_conforms(response, method, path)` looks up the operation by the
spec's path template and the response status."""

import copy
import json
from functools import cache
from pathlib import Path

import jsonschema

SPEC = Path(__file__).resolve().parents[1] / "api" / "spec" / "okta-subset.json"

# Fields real Okta sends as null although okta-subset.yaml does not mark them nullable,
# as recorded responses and Okta's own samples show (CONTRACT.md §5.3, §5.6, §8 #4). Only these.
REAL_OKTA_NULLS: dict[str, frozenset[str]] = {
    # LogEvent: absent values are null in real events (Okta's docs sample, SDK cassettes, CONTRACT.md §5.6).
    "LogEvent": frozenset({"legacyEventType", "target"}),  # no legacy type; an event without targets
    "LogActor": frozenset({"detailEntry"}),
    "LogTarget": frozenset({"detailEntry"}),
    "LogClient": frozenset({"userAgent", "zone", "device", "id", "ipAddress", "geographicalContext"}),
    "LogUserAgent": frozenset({"rawUserAgent"}),  # a request that sent no User-Agent
    "LogOutcome": frozenset({"reason"}),
    "LogAuthenticationContext": frozenset(
        {
            "authenticationProvider",
            "credentialProvider",
            "credentialType",
            "issuer",
            "interface",
            "externalSessionId",
        }
    ),
    "LogIpAddress": frozenset({"geographicalContext", "source"}),
    # Warden's JOB events (management commands) have no request, hence no transaction id (decision 11).
    "LogTransaction": frozenset({"id"}),
    # Zones (CONTRACT.md §8 #4): recorded IP zones carry `gateways: null`; a DYNAMIC zone with no proxy
    # condition has a null proxyType; a location's region is "`null` if empty", as the spec's own text says.
    "IPNetworkZone": frozenset({"gateways"}),
    "DynamicNetworkZone": frozenset({"proxyType"}),
    "NetworkZoneLocation": frozenset({"region"}),
    # GET /api/v1/org: contact fields an org has not filled in are null, and so is the *org's* expiry
    # unless it is a trial org. Not to be confused with ApiToken.expiresAt, which is never null.
    "OrgSetting": frozenset(
        {
            "website",
            "phoneNumber",
            "address1",
            "address2",
            "city",
            "state",
            "country",
            "postalCode",
            "endUserSupportHelpURL",
            "supportPhoneNumber",
            "expiresAt",
        }
    ),
}

# Enum values real Okta sends that the spec's enum lacks (CONTRACT.md §8 #3: recorded DYNAMIC zones carry
# proxyType "TorAnonymizer" and ""). Only these.
REAL_OKTA_ENUM_VALUES: dict[tuple[str, str], list[str]] = {
    ("DynamicNetworkZone", "proxyType"): ["TorAnonymizer", ""],
}


def _spec() -> dict:
    return json.loads(SPEC.read_text())


def _pinned_subtypes(node: dict) -> dict:
    """`oneOf` + `discriminator.mapping` -> allow exactly the mapped values, each choosing its schema."""
    prop = node["discriminator"]["propertyName"]
    mapping = node["discriminator"]["mapping"]
    choices = [
        {"if": {"properties": {prop: {"const": value}}, "required": [prop]}, "then": {"$ref": ref}}
        for value, ref in mapping.items()
    ]
    return {"type": "object", "required": [prop], "properties": {prop: {"enum": list(mapping)}}, "allOf": choices}


def _convert(node, nulls: frozenset[str] = frozenset()):
    if isinstance(node, list):
        return [_convert(item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return {"$ref": node["$ref"]}
    if "oneOf" in node and "mapping" in node.get("discriminator", {}):
        return _pinned_subtypes(node)
    converted = {}
    for key, value in node.items():
        if key in ("discriminator", "example", "examples", "nullable", "x-original-pattern"):
            continue
        if key == "properties":
            converted[key] = {name: _convert_property(prop, name in nulls) for name, prop in value.items()}
        elif key == "allOf":
            # A subtype's extra properties sit in allOf parts; the real-Okta nulls apply there too.
            converted[key] = [_convert(part, nulls) for part in value]
        else:
            converted[key] = _convert(value)
    if node.get("nullable"):
        converted = {"anyOf": [{"type": "null"}, converted]}
    return converted


def _convert_property(prop, null_allowed: bool):
    converted = _convert(prop)
    return {"anyOf": [{"type": "null"}, converted]} if null_allowed else converted


@cache
def _root() -> dict:
    schemas = copy.deepcopy(_spec()["components"]["schemas"])
    token = schemas["ApiToken"]["properties"]
    token["_links"] = token.pop("_link")  # CONTRACT.md §8 #2: the spec's typo
    for (name, prop), values in REAL_OKTA_ENUM_VALUES.items():
        part = next(p for p in schemas[name].get("allOf", [schemas[name]]) if prop in p.get("properties", {}))
        part["properties"][prop]["enum"] += values
    unknown = set(REAL_OKTA_NULLS) - set(schemas)
    assert not unknown, f"REAL_OKTA_NULLS names schemas the spec does not have: {unknown}"
    return {
        "components": {
            "schemas": {
                name: _convert(schema, REAL_OKTA_NULLS.get(name, frozenset())) for name, schema in schemas.items()
            }
        }
    }


def response_schema(method: str, path: str, status: int) -> dict | None:
    """The JSON Schema of `method path`'s `status` response (None: no body), strict as above."""
    document = _spec()
    operation = document["paths"][path][method.lower()]
    documented = operation["responses"].get(str(status))
    assert documented is not None, f"{method} {path}: Okta's spec lists no {status} response"
    while "$ref" in documented:
        documented = _lookup(document, documented["$ref"])
    content = documented.get("content")
    if not content:
        return None
    return {**_root(), **_convert(content["application/json"]["schema"])}


def _lookup(document: dict, ref: str) -> dict:
    node = document
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def okta_errors(body, schema: dict) -> list[str]:
    """Every way `body` breaks `schema`, as readable lines (empty when it conforms)."""
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(body)]


def assert_okta_conforms(response, method: str, path: str) -> None:
    """`path` is the spec's path template, e.g. "/api/v1/zones/{zoneId}"."""
    schema = response_schema(method, path, response.status_code)
    if schema is None:
        assert not response.content, f"{method} {path} {response.status_code} should have no body"
        return
    problems = okta_errors(json.loads(response.content), schema)
    assert not problems, f"{method} {path} {response.status_code} breaks Okta's schema:\n" + "\n".join(problems)
