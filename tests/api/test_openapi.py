import pytest

from api.openapi import warden_openapi
from tests.openapi_conformance import assert_conforms

pytestmark = pytest.mark.django_db


def test_document_is_served_as_openapi_3_0_3(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"] == "3.0.3"
    assert document["info"]["title"] == "Warden Management API"
    assert "/api/v1/api-tokens/{apiTokenId}" in document["paths"]


def test_document_fixes_the_token_links_typo_and_allows_nulls():
    token = warden_openapi()["components"]["schemas"]["ApiToken"]
    assert "_links" in token["properties"] and "_link" not in token["properties"]
    assert token["properties"]["tokenWindow"].get("nullable") or token["properties"]["tokenWindow"]["nullable"]


def test_wardens_additions_add_to_oktas_subset_and_never_replace_it():
    """GET /api/v1/events (the deprecated v1 Events API) is not in Okta's subset: it comes from
    api/spec/warden-additions.json, whose names must not shadow any of Okta's."""
    import json

    from api.openapi import ADDITIONS, SPEC

    okta, additions = json.loads(SPEC.read_text()), json.loads(ADDITIONS.read_text())
    assert not okta["paths"].keys() & additions["paths"].keys()
    assert not okta["components"]["schemas"].keys() & additions["components"]["schemas"].keys()
    document = warden_openapi()
    assert document["paths"]["/api/v1/events"]["get"]["deprecated"] is True
    assert document["components"]["schemas"]["Event"]["properties"]["requestId"]["nullable"] is True


def test_document_passes_the_openapi_validator():
    from openapi_spec_validator import validate

    validate(warden_openapi())


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("/api/v1/users/me", "/api/v1/users/{id}"),
        ("/api/v1/users/me/roles", "/api/v1/users/{userId}/roles"),
        ("/api/v1/org", "/api/v1/org"),
    ],
)
def test_user_role_and_org_responses_conform(super_client, url, path):
    assert_conforms(super_client.get(url), "GET", path)


def test_zone_responses_and_errors_conform(super_client):
    listing = super_client.get("/api/v1/zones")
    assert listing.status_code == 200 and listing.json()
    assert_conforms(listing, "GET", "/api/v1/zones")
    zone_id = listing.json()[0]["id"]
    assert_conforms(super_client.get(f"/api/v1/zones/{zone_id}"), "GET", "/api/v1/zones/{zoneId}")
    missing = super_client.get("/api/v1/zones/nzo00000000000000000")
    assert missing.status_code == 404
    assert_conforms(missing, "GET", "/api/v1/zones/{zoneId}")


def test_a_response_missing_a_required_field_is_caught(super_client):
    import jsonschema
    from django.http import JsonResponse

    body = super_client.get("/api/v1/zones").json()[0]
    del body["name"]
    with pytest.raises(jsonschema.ValidationError):
        assert_conforms(JsonResponse(body), "GET", "/api/v1/zones/{zoneId}")
