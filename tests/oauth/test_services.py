"""Service-app operations: each records its System Log event; keys import, generate and refuse; signing keys
are stored only encrypted."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import override_settings
from jwcrypto import jwk

from oauth import crypto, services, signing
from oauth.models import AppKey, SigningKey
from syslog.models import LogEvent
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def types() -> list[str]:
    return list(LogEvent.objects.order_by("id").values_list("event_type", flat=True))


def test_every_action_is_audited_in_order():
    admin = UserFactory(roles=["SUPER_ADMIN"])
    app = services.app_create(name="Reporting", actor=admin)
    assert app.id.startswith("0oa") and len(app.id) == 20
    services.app_update(app=app, name="Reporting job", require_dpop=True, actor=admin)
    key, pem = services.key_generate(app=app, actor=admin)
    assert "PRIVATE KEY" in pem and "d" not in key.jwk and key.jwk["kty"] == "RSA"
    assert pem not in json.dumps(list(AppKey.objects.values_list("jwk", flat=True)))
    services.key_set_status(key=key, status="INACTIVE", actor=admin)
    services.key_set_status(key=key, status="ACTIVE", actor=admin)
    services.key_set_status(key=key, status="INACTIVE", actor=admin)
    services.key_delete(key=key, actor=admin)
    services.scope_grant(app=app, scope="okta.logs.read", actor=admin)
    services.scope_revoke(app=app, scope="okta.logs.read", actor=admin)
    services.role_assign(app=app, role_type="READ_ONLY_ADMIN", actor=admin)
    services.role_unassign(app=app, role_type="READ_ONLY_ADMIN", actor=admin)
    services.app_deactivate(app=app, actor=admin)
    services.app_activate(app=app, actor=admin)
    services.app_deactivate(app=app, actor=admin)
    services.app_delete(app=app, actor=admin)
    services.signing_key_rotate(actor=admin)
    assert types() == [
        "application.lifecycle.create",
        "application.lifecycle.update",
        "app.oauth2.credentials.lifecycle.create",
        "app.oauth2.credentials.lifecycle.deactivate",
        "app.oauth2.credentials.lifecycle.activate",
        "app.oauth2.credentials.lifecycle.deactivate",
        "app.oauth2.credentials.lifecycle.delete",
        "app.oauth2.admin.consent.grant",
        "app.oauth2.admin.consent.revoke",
        "app.oauth2.admin_role.grant",
        "app.oauth2.admin_role.revoke",
        "application.lifecycle.deactivate",
        "application.lifecycle.activate",
        "application.lifecycle.deactivate",
        "application.lifecycle.delete",
        "app.oauth2.as.key.rollover",
    ]
    update = LogEvent.objects.get(event_type="application.lifecycle.update").data["target"][0]
    assert update["changeDetails"] == {
        "from": {"name": "Reporting", "requireDpop": False},
        "to": {"name": "Reporting job", "requireDpop": True},
    }


def test_rules_refuse_clearly():
    app = services.app_create(name="Rules")
    with pytest.raises(ValidationError):
        services.app_create(name=" ")
    with pytest.raises(ValidationError):
        services.scope_grant(app=app, scope="okta.everything.manage")
    services.scope_grant(app=app, scope="okta.logs.read")
    with pytest.raises(ValidationError):
        services.scope_grant(app=app, scope="okta.logs.read")
    with pytest.raises(ValidationError):
        services.role_assign(app=app, role_type="EMPEROR")
    with pytest.raises(ValidationError):
        services.app_delete(app=app)  # active
    key, _ = services.key_generate(app=app)
    with pytest.raises(ValidationError):
        services.key_delete(key=key)  # active


def test_pasted_keys_jwk_and_pem_and_refusals():
    app = services.app_create(name="Keys")
    rsa = jwk.JWK.generate(kty="RSA", size=2048, kid="my-kid")
    added = services.key_add(app=app, key_text=rsa.export_public())
    assert added.kid == "my-kid" and added.jwk["alg"] == "RS256"
    ec = jwk.JWK.generate(kty="EC", crv="P-256")
    from_pem = services.key_add(app=app, key_text=ec.export_to_pem().decode())
    assert from_pem.kid == ec.thumbprint() and from_pem.jwk["alg"] == "ES256"
    for bad in (
        rsa.export_private(),  # a private JWK
        rsa.export_to_pem(private_key=True, password=None).decode(),
        jwk.JWK.generate(kty="RSA", size=1024).export_public(),
        jwk.JWK.generate(kty="oct", size=256).export(),
        "not a key",
        '{"kty": "RSA", "n": "\\u0000"}',
        "[1, 2]",
        "{" * 10000,
        "",
    ):
        with pytest.raises(ValidationError):
            services.key_add(app=app, key_text=bad)
    with pytest.raises(ValidationError):
        services.key_add(app=app, key_text=rsa.export_public())  # the same kid twice


def test_signing_keys_are_stored_encrypted_and_need_the_kek():
    key = signing.active_key()
    stored = bytes(SigningKey.objects.get(pk=key.kid).private_key_encrypted)
    assert b"PRIVATE KEY" not in stored and b"BEGIN" not in stored
    assert b"PRIVATE KEY" in crypto.decrypt(stored)
    with override_settings(OAUTH_KEY_ENCRYPTION_KEY=""), pytest.raises(ImproperlyConfigured, match="OAUTH_KEY"):
        crypto.encrypt(b"x")
    other = "a" * 43 + "="
    with override_settings(OAUTH_KEY_ENCRYPTION_KEY=other), pytest.raises(ImproperlyConfigured):
        crypto.decrypt(stored)


def test_rotation_keeps_the_previous_key_for_the_overlap_then_deletes_it():
    first = signing.active_key()
    second, gone = signing.rotate()
    assert gone == [] and {k.kid for k in signing.verifying_keys()} == {first.kid, second.kid}
    SigningKey.objects.filter(pk=first.kid).update(retired_at=first.created.replace(year=2000))
    third, gone = signing.rotate()
    assert gone == [first.kid]
    assert {k.kid for k in signing.verifying_keys()} == {second.kid, third.kid}
