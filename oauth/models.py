"""Service apps (Okta's "API Services" app integrations), their public keys, granted scopes and admin roles,
and what the org authorization server keeps: its signing keys, the client-assertion and DPoP-proof ids it
has seen, and the access tokens revoked before they expired (by their `jti`, never the token)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.roles import RoleType
from api.http import okta_time
from api.ids import new_id
from syslog.events import Party


def new_client_id() -> str:
    return new_id("0oa")


class AppStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "Active"
    INACTIVE = "INACTIVE", "Inactive"


class ServiceApp(models.Model):
    id = models.CharField("client ID", primary_key=True, max_length=20, default=new_client_id, editable=False)
    name = models.CharField(max_length=100)
    status = models.CharField(max_length=8, choices=AppStatus.choices, default=AppStatus.ACTIVE)
    require_dpop = models.BooleanField("require DPoP", default=False)
    # Access tokens issued at or before this moment are refused: set when the app is deactivated, so that
    # reactivating it does not bring its old tokens back.
    tokens_not_before = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    last_updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def client_id(self) -> str:
        return self.id

    @property
    def is_active(self) -> bool:
        return self.status == AppStatus.ACTIVE

    def as_log_party(self) -> Party:
        # Okta's actor for a service app's request (and the target of its lifecycle events).
        return Party(id=self.id, type="PublicClientApp", alternate_id=self.id, display_name=self.name)

    def to_okta(self) -> dict:
        return {
            "id": self.id,
            "name": "oidc_client",
            "label": self.name,
            "status": self.status,
            "signOnMode": "OPENID_CONNECT",
            "created": okta_time(self.created),
            "lastUpdated": okta_time(self.last_updated),
            "credentials": {"oauthClient": {"client_id": self.id, "token_endpoint_auth_method": "private_key_jwt"}},
            "settings": {
                "oauthClient": {
                    "grant_types": ["client_credentials"],
                    "application_type": "service",
                    "dpop_bound_access_tokens": self.require_dpop,
                }
            },
        }


class KeyStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "Active"
    INACTIVE = "INACTIVE", "Inactive"


class AppKey(models.Model):
    """A public key the app signs its client assertions with (a JWK, public members only)."""

    app = models.ForeignKey(ServiceApp, on_delete=models.CASCADE, related_name="keys")
    kid = models.CharField(max_length=100)
    jwk = models.JSONField()
    status = models.CharField(max_length=8, choices=KeyStatus.choices, default=KeyStatus.ACTIVE)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "id"]
        constraints = [models.UniqueConstraint(fields=["app", "kid"], name="oauth_key_kid_unique_per_app")]

    def __str__(self) -> str:
        return self.kid

    def as_log_party(self) -> Party:
        return Party(id=self.kid, type="JsonWebKey", alternate_id=self.app_id, display_name=self.kid)


class ScopeGrant(models.Model):
    app = models.ForeignKey(ServiceApp, on_delete=models.CASCADE, related_name="scope_grants")
    scope = models.CharField(max_length=64)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["scope"]
        constraints = [models.UniqueConstraint(fields=["app", "scope"], name="oauth_scope_once_per_app")]

    def __str__(self) -> str:
        return self.scope


class AppRole(models.Model):
    app = models.ForeignKey(ServiceApp, on_delete=models.CASCADE, related_name="roles")
    role_type = models.CharField(max_length=32, choices=RoleType.choices)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["role_type"]
        constraints = [models.UniqueConstraint(fields=["app", "role_type"], name="oauth_role_once_per_app")]

    def __str__(self) -> str:
        return self.role_type


class SigningStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "Signs new access tokens"
    RETIRING = "RETIRING", "Still verifies the tokens it signed"


class SigningKey(models.Model):
    """The authorization server's RS256 key. The private key is stored only encrypted with the key-encryption
    key from the environment (oauth/crypto.py); exactly one is ACTIVE."""

    kid = models.CharField(primary_key=True, max_length=64)
    status = models.CharField(max_length=8, choices=SigningStatus.choices, default=SigningStatus.ACTIVE)
    public_jwk = models.JSONField()
    private_key_encrypted = models.BinaryField()
    created = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="ACTIVE"), name="oauth_one_active_signing_key"
            )
        ]

    def __str__(self) -> str:
        return self.kid


class UsedJti(models.Model):
    """A client assertion's or DPoP proof's `jti` (SHA-256 of kind, issuer and jti), kept until it expires:
    the primary key makes "seen before" one INSERT that every process agrees on."""

    digest = models.CharField(primary_key=True, max_length=64)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.digest


class RevokedAccessToken(models.Model):
    jti = models.CharField(primary_key=True, max_length=64)
    app = models.ForeignKey(ServiceApp, on_delete=models.CASCADE, related_name="+")
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.jti
