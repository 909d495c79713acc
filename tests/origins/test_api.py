"""/api/v1/trustedOrigins exactly as docs/okta-contract.md §4: every operation, its errors and its events."""

import json

import pytest

from origins.models import TrustedOrigin
from syslog.models import LogEvent
from tests.api.test_conventions import assert_okta_error
from tests.origins.factories import OriginFactory, scopes

pytestmark = pytest.mark.django_db
URL = "/api/v1/trustedOrigins"
KEYS = ["id", "name", "origin", "scopes", "status", "created", "createdBy", "lastUpdated", "lastUpdatedBy", "_links"]


def post(client, body, url=URL):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def put(client, url, body):
    return client.put(url, data=json.dumps(body), content_type="application/json")


def events(*types):
    return list(LogEvent.objects.filter(event_type__in=types).order_by("id").values_list("event_type", flat=True))


def test_create_returns_200_in_okta_shape_and_logs(super_client, super_admin):
    body = {
        "name": "spa",
        "origin": "https://EXAMPLE.com:443",
        "scopes": [{"type": "REDIRECT"}, {"type": "CORS"}, {"type": "IFRAME_EMBED", "allowedOktaApps": []}],
    }
    response = post(super_client, body)
    assert response.status_code == 200, response.content
    origin = response.json()
    assert list(origin) == KEYS
    assert origin["id"].startswith("tos") and origin["status"] == "ACTIVE"
    assert origin["origin"] == "https://EXAMPLE.com:443"  # echoed as sent
    assert origin["scopes"] == [{"type": "CORS"}, {"type": "REDIRECT"}, {"type": "IFRAME_EMBED", "allowedOktaApps": []}]
    assert origin["createdBy"] == origin["lastUpdatedBy"] == super_admin.id
    assert origin["created"].endswith("Z")
    links = origin["_links"]
    assert links["self"]["hints"]["allow"] == ["GET", "PUT", "DELETE"]
    assert links["deactivate"]["href"].endswith(f"/api/v1/trustedOrigins/{origin['id']}/lifecycle/deactivate")
    assert "activate" not in links
    assert TrustedOrigin.objects.get(pk=origin["id"]).origin_key == "https://example.com"
    event = LogEvent.objects.get(event_type="security.trusted_origin.create")
    assert event.data["target"][0]["id"] == origin["id"] and event.data["target"][0]["type"] == "TrustedOrigin"


def test_create_with_terraform_status_inactive(super_client):
    response = post(
        super_client, {"name": "tf", "origin": "https://tf.example", "scopes": scopes("CORS"), "status": "INACTIVE"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "INACTIVE" and "activate" in response.json()["_links"]


@pytest.mark.parametrize(
    ("body", "cause"),
    [
        ({"name": "x", "origin": "null", "scopes": scopes("CORS")}, "origin: 'null' is not an origin"),
        ({"name": "x", "origin": "https://*.example.com", "scopes": scopes("CORS")}, "origin: Wildcards"),
        ({"name": "x", "origin": "https://a.example/path", "scopes": scopes("CORS")}, "origin: An origin is scheme"),
        ({"name": "x", "origin": "https://a.example", "scopes": []}, "scopes: Select at least one type"),
        ({"name": "x", "origin": "https://a.example", "scopes": [{"type": "WEB"}]}, "scopes: 'WEB' is not a scope"),
        ({"name": "x", "origin": "https://a.example", "scopes": "CORS"}, "scopes: must be a list"),
        ({"name": "x", "origin": "https://a.example", "scopes": scopes("CORS", "CORS")}, "scopes: the scope CORS"),
        (
            {"name": "x", "origin": "https://a.example", "scopes": [{"type": "CORS", "allowedOktaApps": []}]},
            "scopes: allowedOktaApps is only for IFRAME_EMBED",
        ),
        (
            {
                "name": "x",
                "origin": "https://a.example",
                "scopes": [{"type": "IFRAME_EMBED", "allowedOktaApps": ["ADMIN"]}],
            },
            "scopes: allowedOktaApps may only",
        ),
        ({"origin": "https://a.example", "scopes": scopes("CORS")}, "name: This field is required."),
        ({"name": "x", "scopes": scopes("CORS")}, "origin: This field is required."),
        ({"name": "x", "origin": "https://a.example"}, "scopes: This field is required."),
        ({"name": 12, "origin": "https://a.example", "scopes": scopes("CORS")}, "name: must be a string"),
    ],
)
def test_bad_bodies_are_400_e0000001_with_a_cause_and_change_nothing(super_client, body, cause):
    response = post(super_client, body)
    assert_okta_error(response, 400, "E0000001")
    assert any(c["errorSummary"].startswith(cause) for c in response.json()["errorCauses"]), response.json()
    assert not TrustedOrigin.objects.exists() and not events("security.trusted_origin.create")


def test_duplicates_are_refused_on_the_normalised_form_and_the_name(super_client):
    OriginFactory(name="Existing", origin="https://example.com")
    response = post(super_client, {"name": "other", "origin": "HTTPS://example.COM:443", "scopes": scopes("CORS")})
    assert_okta_error(response, 400, "E0000001")
    assert "https://example.com is already a trusted origin" in response.json()["errorCauses"][0]["errorSummary"]
    response = post(super_client, {"name": "existing", "origin": "https://b.example", "scopes": scopes("CORS")})
    assert "already exists" in response.json()["errorCauses"][0]["errorSummary"]
    assert TrustedOrigin.objects.count() == 1


def test_get_and_404(super_client):
    origin = OriginFactory()
    response = super_client.get(f"{URL}/{origin.id}")
    assert response.status_code == 200 and response.json()["id"] == origin.id
    response = super_client.get(f"{URL}/tosnothere")
    assert_okta_error(response, 404, "E0000007")
    assert response.json()["errorSummary"] == "Not found: Resource not found: tosnothere (TrustedOrigin)"


def test_put_replaces_everything_and_status_follows_the_body(super_client):
    origin = OriginFactory(scopes=scopes("CORS", "REDIRECT"))
    body = {
        "id": "ignored",
        "name": "renamed",
        "origin": "https://new.example",
        "scopes": scopes("IFRAME_EMBED"),
        "status": "INACTIVE",
        "created": "2000-01-01T00:00:00.000Z",
    }
    response = put(super_client, f"{URL}/{origin.id}", body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["id"], data["name"], data["origin"], data["status"]) == (
        origin.id,
        "renamed",
        "https://new.example",
        "INACTIVE",
    )
    assert data["scopes"] == [{"type": "IFRAME_EMBED"}]  # no allowedOktaApps key when none was sent
    assert events("security.trusted_origin.update", "security.trusted_origin.deactivate") == [
        "security.trusted_origin.update",
        "security.trusted_origin.deactivate",
    ]


def test_put_may_keep_its_own_origin_and_404s(super_client):
    origin = OriginFactory(origin="https://same.example")
    body = {"name": origin.name, "origin": "https://SAME.example", "scopes": scopes("CORS")}
    assert put(super_client, f"{URL}/{origin.id}", body).status_code == 200
    assert_okta_error(put(super_client, f"{URL}/tosmissing", body), 404, "E0000007")


def test_delete_is_204_and_logged(super_client):
    origin = OriginFactory()
    response = super_client.delete(f"{URL}/{origin.id}")
    assert response.status_code == 204 and response.content == b""
    assert not TrustedOrigin.objects.exists()
    assert events("security.trusted_origin.delete") == ["security.trusted_origin.delete"]
    assert_okta_error(super_client.delete(f"{URL}/{origin.id}"), 404, "E0000007")


def test_lifecycle_returns_200_with_the_origin_and_change_details(super_client):
    origin = OriginFactory()
    response = super_client.post(f"{URL}/{origin.id}/lifecycle/deactivate")
    assert response.status_code == 200 and response.json()["status"] == "INACTIVE"
    response = super_client.post(f"{URL}/{origin.id}/lifecycle/activate")
    assert response.status_code == 200 and response.json()["status"] == "ACTIVE"
    deactivate, activate = (
        LogEvent.objects.get(event_type=f"security.trusted_origin.{e}") for e in ("deactivate", "activate")
    )
    assert deactivate.data["target"][0]["changeDetails"] == {"from": {"status": "ACTIVE"}, "to": {"status": "INACTIVE"}}
    assert activate.data["target"][0]["changeDetails"] == {"from": {"status": "INACTIVE"}, "to": {"status": "ACTIVE"}}
    assert_okta_error(super_client.post(f"{URL}/tosnope/lifecycle/activate"), 404, "E0000007")


def test_list_q_filter_after_limit(super_client):
    a = OriginFactory(name="Alpha", origin="https://alpha.example", scopes=scopes("CORS"))
    b = OriginFactory(name="Beta", origin="https://beta.example", scopes=scopes("REDIRECT"))
    c = OriginFactory(
        name="Gamma", origin="https://alphabet.example", scopes=scopes("CORS", "IFRAME_EMBED"), status="INACTIVE"
    )

    def ids(query):
        response = super_client.get(f"{URL}{query}")
        assert response.status_code == 200, response.content
        return {o["id"] for o in response.json()}

    assert ids("") == {a.id, b.id, c.id}
    assert ids("?q=alp") == {a.id}
    assert ids("?q=https://alpha") == {a.id, c.id}  # prefix of the origin too
    assert ids('?filter=name eq "Beta"') == {b.id}
    assert ids('?filter=origin eq "https://alphabet.example"') == {c.id}
    assert ids('?filter=status eq "INACTIVE"') == {c.id}
    assert ids('?filter=type eq "CORS"') == {a.id, c.id}
    assert ids('?filter=type eq "IFRAME_EMBED" or name eq "Beta"') == {b.id, c.id}
    assert_okta_error(super_client.get(f'{URL}?q=a&filter=name eq "Beta"'), 400, "E0000033")
    assert_okta_error(super_client.get(f'{URL}?filter=created eq "x"'), 400, "E0000031")

    first = super_client.get(f"{URL}?limit=2")
    links = [v for k, v in first.items() if k == "Link"]
    assert len(first.json()) == 2 and links[-1].endswith('rel="next"')
    second = super_client.get(links[-1][1 : links[-1].index(">")])
    assert len(second.json()) == 1 and not [v for k, v in second.items() if k == "Link" and "next" in v]
    assert {o["id"] for o in first.json() + second.json()} == {a.id, b.id, c.id}


def test_limit_default_20_max_200(super_client):
    for n in range(21):
        OriginFactory(name=f"o{n}", origin=f"https://o{n}.example")
    assert len(super_client.get(URL).json()) == 20
    assert len(super_client.get(f"{URL}?limit=500").json()) == 21


def test_read_only_admin_reads_but_cannot_write(persona_user):
    from tests.conftest import client_for

    client = client_for(persona_user("read_only"))
    assert client.get(URL).status_code == 200
    assert_okta_error(
        post(client, {"name": "x", "origin": "https://x.example", "scopes": scopes("CORS")}), 403, "E0000006"
    )
