"""The console's Applications pages: create, keys (generated key shown once), scopes, roles, lifecycle."""

import pytest
from jwcrypto import jwk

from oauth.models import AppKey, AppRole, ScopeGrant, ServiceApp
from syslog.models import LogEvent
from tests.conftest import client_for, make_persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    return client_for(make_persona("super"))


def test_create_generate_key_once_add_key_grant_and_assign(admin_client):
    response = admin_client.post("/applications/new", {"name": "Nightly sync", "require_dpop": "on"})
    assert response.status_code == 302
    app = ServiceApp.objects.get()
    assert app.require_dpop and response["Location"] == f"/applications/{app.id}/"
    page = admin_client.get(f"/applications/{app.id}/")
    assert app.id in page.content.decode() and "Nightly sync" in page.content.decode()

    generated = admin_client.post(f"/applications/{app.id}/generate-key")
    assert generated.status_code == 200 and generated["Cache-Control"] == "no-store"
    html = generated.content.decode()
    assert "-----BEGIN PRIVATE KEY-----" in html
    key = AppKey.objects.get(app=app)
    assert "d" not in key.jwk
    assert "PRIVATE KEY" not in admin_client.get(f"/applications/{app.id}/").content.decode()  # never again
    for event in LogEvent.objects.all():
        assert "PRIVATE" not in str(event.data)

    pasted = jwk.JWK.generate(kty="EC", crv="P-256", kid="ec-1").export_public()
    assert admin_client.post(f"/applications/{app.id}/add-key", {"key": pasted}).status_code == 302
    assert AppKey.objects.filter(app=app, kid="ec-1").exists()
    bad = admin_client.post(f"/applications/{app.id}/add-key", {"key": "-----BEGIN PRIVATE KEY-----\nx"})
    assert bad.status_code == 400 and "private key" in bad.content.decode()

    assert admin_client.post(f"/applications/{app.id}/grant-scope", {"scope": "okta.logs.read"}).status_code == 302
    assert ScopeGrant.objects.filter(app=app, scope="okta.logs.read").exists()
    scopes = admin_client.get(f"/applications/{app.id}/?tab=scopes").content.decode()
    assert "okta.networkZones.manage" in scopes and "Granted" in scopes
    assert admin_client.post(f"/applications/{app.id}/assign-role", {"role_type": "READ_ONLY_ADMIN"}).status_code == 302
    assert AppRole.objects.filter(app=app, role_type="READ_ONLY_ADMIN").exists()
    assert "Read-only Administrator" in admin_client.get(f"/applications/{app.id}/?tab=roles").content.decode()

    assert admin_client.post(f"/applications/{app.id}/delete").status_code == 302  # refused: still active
    assert ServiceApp.objects.filter(pk=app.id).exists()
    admin_client.post(f"/applications/{app.id}/deactivate")
    admin_client.post(f"/applications/{app.id}/delete")
    assert not ServiceApp.objects.filter(pk=app.id).exists()
    assert admin_client.get("/applications/").status_code == 200


def test_unknown_tab_action_and_bad_values(admin_client):
    app = ServiceApp.objects.create(name="x")
    assert admin_client.get(f"/applications/{app.id}/?tab=nope").status_code == 404
    assert admin_client.post(f"/applications/{app.id}/explode").status_code == 404
    assert admin_client.post(f"/applications/{app.id}/grant-scope", {"scope": "okta.all"}).status_code == 302
    assert not ScopeGrant.objects.exists()
    assert admin_client.post(f"/applications/{app.id}/key-delete", {"key_id": "abc"}).status_code == 302
    assert admin_client.post("/applications/new", {"name": "\x00"}).status_code == 200


def test_the_tokens_page_links_the_guide(admin_client):
    assert "/applications/guide" in admin_client.get("/security/api/tokens/").content.decode()
    guide = admin_client.get("/applications/guide")
    assert guide.status_code == 200 and "OAuth 2.0 for Warden" in guide.content.decode()
