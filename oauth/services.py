"""Service-app operations, one keyword-only function per action: console views, the API and management
commands call these with validated values, and each change records its System Log event in its transaction.
Everything that can change what an app's access tokens may do moves the authorization epoch (the post_save and
post_delete signals connected in OAuthConfig.ready(); QuerySet.update() calls announce themselves), so every
process decides those tokens again on their next request (docs/decisions/21, 24)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.roles import RoleType
from oauth import crypto, scopes, signing
from oauth.models import AppKey, AppRole, AppStatus, KeyStatus, RevokedAccessToken, ScopeGrant, ServiceApp
from syslog.events import record
from syslog.outcomes import Outcome
from tokens import snapshots

MAX_KEYS = 10


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100 or not name.isprintable():
        raise ValidationError({"name": ["An app needs a name of at most 100 printable characters."]})
    return name


def app_create(*, name: str, require_dpop: bool = False, request=None, actor=None) -> ServiceApp:
    with transaction.atomic():
        app = ServiceApp.objects.create(name=_name(name), require_dpop=require_dpop)
        record("application.lifecycle.create", request=request, actor=actor, targets=[app])
    return app


def app_update(*, app: ServiceApp, name: str | None = None, require_dpop: bool | None = None, request=None, actor=None):
    with transaction.atomic():
        locked = ServiceApp.objects.select_for_update().get(pk=app.pk)
        changes = {}
        if name is not None and _name(name) != locked.name:
            changes["name"] = (locked.name, _name(name))
            locked.name = _name(name)
        if require_dpop is not None and require_dpop != locked.require_dpop:
            changes["requireDpop"] = (locked.require_dpop, require_dpop)
            locked.require_dpop = require_dpop
        if not changes:
            return locked
        locked.last_updated = timezone.now()
        locked.save()
        record(
            "application.lifecycle.update",
            request=request,
            actor=actor,
            targets=[locked.as_log_party().with_changes(**changes)],
        )
    return locked


def app_deactivate(*, app: ServiceApp, request=None, actor=None) -> ServiceApp:
    """Ends every token the app holds: they are refused from the next request on, in every process, and stay
    refused if the app is activated again (tokens_not_before)."""
    now = timezone.now()
    next_second = now.replace(microsecond=0) + timedelta(seconds=1)  # access tokens' iat has whole seconds
    with transaction.atomic():
        updated = ServiceApp.objects.filter(pk=app.pk, status=AppStatus.ACTIVE).update(
            status=AppStatus.INACTIVE, tokens_not_before=next_second, last_updated=now
        )
        if not updated:
            raise ValidationError("This app is already inactive.")
        snapshots.changed()
        app.refresh_from_db()
        record("application.lifecycle.deactivate", request=request, actor=actor, targets=[app])
    return app


def app_activate(*, app: ServiceApp, request=None, actor=None) -> ServiceApp:
    with transaction.atomic():
        updated = ServiceApp.objects.filter(pk=app.pk, status=AppStatus.INACTIVE).update(
            status=AppStatus.ACTIVE, last_updated=timezone.now()
        )
        if not updated:
            raise ValidationError("This app is already active.")
        snapshots.changed()
        app.refresh_from_db()
        record("application.lifecycle.activate", request=request, actor=actor, targets=[app])
    return app


def app_delete(*, app: ServiceApp, request=None, actor=None) -> None:
    """Okta deletes only inactive apps."""
    with transaction.atomic():
        locked = ServiceApp.objects.select_for_update().get(pk=app.pk)
        if locked.status == AppStatus.ACTIVE:
            raise ValidationError("Deactivate the app before deleting it.")
        party = locked.as_log_party()
        locked.delete()  # its keys, scopes and roles go with it; post_delete moves the epoch
        record("application.lifecycle.delete", request=request, actor=actor, targets=[party])


def _add_key(app: ServiceApp, public: dict, *, request, actor) -> AppKey:
    if app.keys.count() >= MAX_KEYS:
        raise ValidationError({"key": [f"An app holds at most {MAX_KEYS} keys: delete one first."]})
    try:
        with transaction.atomic():
            key = AppKey.objects.create(app=app, kid=public["kid"], jwk=public)
    except IntegrityError:
        raise ValidationError({"key": ["This app already has a key with this kid."]}) from None
    record("app.oauth2.credentials.lifecycle.create", request=request, actor=actor, targets=[key, app])
    return key


def key_add(*, app: ServiceApp, key_text: str, kid: str | None = None, request=None, actor=None) -> AppKey:
    """A pasted public key (JWK or PEM); its kid is the JWK's, the one given, or its thumbprint."""
    public = crypto.public_jwk(key_text, kid=(kid or "").strip() or None)
    with transaction.atomic():
        return _add_key(app, public, request=request, actor=actor)


def key_generate(*, app: ServiceApp, request=None, actor=None) -> tuple[AppKey, str]:
    """A new RSA 2048 pair: the public key is stored, the private key (PEM) returned once and kept nowhere."""
    public, private_pem = crypto.generate_rsa()
    with transaction.atomic():
        key = _add_key(app, public, request=request, actor=actor)
    return key, private_pem


def key_set_status(*, key: AppKey, status: str, request=None, actor=None) -> AppKey:
    if status not in KeyStatus.values:
        raise ValidationError({"status": ["Choose ACTIVE or INACTIVE."]})
    with transaction.atomic():
        updated = AppKey.objects.filter(pk=key.pk).exclude(status=status).update(status=status)
        if not updated:
            raise ValidationError(f"This key is already {status.lower()}.")
        key.refresh_from_db()
        event = "activate" if status == KeyStatus.ACTIVE else "deactivate"
        record(f"app.oauth2.credentials.lifecycle.{event}", request=request, actor=actor, targets=[key, key.app])
    return key


def key_delete(*, key: AppKey, request=None, actor=None) -> None:
    if key.status == KeyStatus.ACTIVE:
        raise ValidationError("Deactivate the key before deleting it.")
    with transaction.atomic():
        party, app = key.as_log_party(), key.app
        key.delete()
        record("app.oauth2.credentials.lifecycle.delete", request=request, actor=actor, targets=[party, app])


def scope_grant(*, app: ServiceApp, scope: str, request=None, actor=None) -> ScopeGrant:
    if not scopes.known(scope):
        raise ValidationError({"scope": ["Warden does not serve this scope."]})
    try:
        with transaction.atomic():
            grant = ScopeGrant.objects.create(app=app, scope=scope)
            record("app.oauth2.admin.consent.grant", request=request, actor=actor, targets=[app], reason=scope)
    except IntegrityError:
        raise ValidationError({"scope": ["This scope is already granted."]}) from None
    return grant


def scope_revoke(*, app: ServiceApp, scope: str, request=None, actor=None) -> None:
    """The app's tokens lose the scope at once (a token may use only scopes still granted)."""
    with transaction.atomic():
        deleted, _ = ScopeGrant.objects.filter(app=app, scope=scope).delete()
        if not deleted:
            raise ValidationError({"scope": ["This scope is not granted."]})
        record("app.oauth2.admin.consent.revoke", request=request, actor=actor, targets=[app], reason=scope)


def role_assign(*, app: ServiceApp, role_type: str, request=None, actor=None) -> AppRole:
    if role_type not in RoleType.values:
        raise ValidationError({"role_type": ["Unknown admin role."]})
    try:
        with transaction.atomic():
            role = AppRole.objects.create(app=app, role_type=role_type)
            record("app.oauth2.admin_role.grant", request=request, actor=actor, targets=[app], reason=role_type)
    except IntegrityError:
        raise ValidationError({"role_type": ["The app already has this role."]}) from None
    return role


def role_unassign(*, app: ServiceApp, role_type: str, request=None, actor=None) -> None:
    with transaction.atomic():
        deleted, _ = AppRole.objects.filter(app=app, role_type=role_type).delete()
        if not deleted:
            raise ValidationError({"role_type": ["The app does not have this role."]})
        record("app.oauth2.admin_role.revoke", request=request, actor=actor, targets=[app], reason=role_type)


def access_token_revoke(*, app: ServiceApp, jti: str, expires_at, request=None) -> bool:
    """Revoke one access token by its jti (kept until the token would have expired anyway). False when it was
    already revoked."""
    try:
        with transaction.atomic():
            RevokedAccessToken.objects.create(jti=jti, app=app, expires_at=expires_at)
            record("app.oauth2.token.revoke", request=request, actor=app, targets=[app])
    except IntegrityError:
        return False
    return True


def signing_key_rotate(*, request=None, actor=None):
    with transaction.atomic():
        key, gone = signing.rotate()
        record("app.oauth2.as.key.rollover", request=request, actor=actor, reason=f"new kid {key.kid}")
    return key, gone


def record_grant(*, app: ServiceApp, scopes_granted: list[str], token_type: str, request) -> None:
    record(
        "app.oauth2.token.grant.access_token",
        request=request,
        actor=app,
        targets=[app],
        debug={"grantType": "client_credentials", "grantedScopes": " ".join(scopes_granted), "tokenType": token_type},
    )


def record_grant_refused(*, app: ServiceApp | None, error: str, description: str, request) -> None:
    from syslog.events import record_refusal

    key = app.id if app is not None else "unknown-client"
    record_refusal(
        f"oauth-grant-{error}",
        key,
        "app.oauth2.token.grant.access_token",
        request=request,
        actor=app,
        targets=[app] if app is not None else [],
        outcome=Outcome.FAILURE,
        reason=f"{error}: {description}",
        debug={"grantType": "client_credentials"},
    )
