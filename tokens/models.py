"""API tokens and the agents that hold managed tokens (docs/okta-contract.md §2)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.utils import timezone

from api.http import link, okta_time
from api.ids import new_id
from syslog.events import Party
from zones.models import NetworkZone

TOKEN_WINDOW = timedelta(days=30)  # fixed (seeds); `tokenWindow` P30D
ALL_ZONES = "ALL_ZONES"


def new_token_id() -> str:
    return new_id("00T")


def new_agent_id() -> str:
    return new_id("0ag")


class AgentType(models.TextChoices):
    AD = "AD", "Okta AD Agent"
    LDAP = "LDAP", "Okta LDAP Agent"
    RADIUS = "RADIUS", "Okta RADIUS Server Agent"
    RSA = "RSA", "Okta RSA SecurID Agent"
    AD_PASSWORD_SYNC = "AD_PASSWORD_SYNC", "Okta AD Password Sync Agent"
    IWA = "IWA", "Okta IWA Web Agent"


class AgentStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "Active"
    INACTIVE = "INACTIVE", "Inactive"


class Agent(models.Model):
    id = models.CharField(primary_key=True, max_length=20, default=new_agent_id, editable=False)
    type = models.CharField(max_length=20, choices=AgentType.choices)
    name = models.CharField(max_length=128)
    host = models.CharField(max_length=255)
    status = models.CharField(max_length=8, choices=AgentStatus.choices, default=AgentStatus.INACTIVE)
    registered = models.BooleanField(default=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    last_updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["type", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_type_display()})"

    @property
    def is_active(self) -> bool:
        return self.status == AgentStatus.ACTIVE

    def as_log_party(self) -> Party:
        return Party(id=self.id, type="Agent", alternate_id=self.host, display_name=self.name)


class TokenStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "Active"
    REVOKED = "REVOKED", "Revoked"


class Connection(models.TextChoices):
    ANYWHERE = "ANYWHERE", "Any IP"
    ZONE = "ZONE", "Network zones"


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        """Usable now: not revoked and not past expiry (every token expires, agent tokens too: docs/decisions/07)."""
        return self.filter(status=TokenStatus.ACTIVE, expires_at__gt=timezone.now())

    def largest_shares(self):
        """Per owner, the largest rate-limit share among these tokens (its owner bucket, docs/decisions/09)."""
        return self.order_by().values("owner").annotate(largest=Max("rate_limit_percent"))


class ApiToken(models.Model):
    id = models.CharField(primary_key=True, max_length=20, default=new_token_id, editable=False)
    name = models.CharField(max_length=255)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    client_name = models.CharField(max_length=255, default="Okta API")
    agent = models.ForeignKey(Agent, null=True, blank=True, on_delete=models.PROTECT, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the value; the value is never stored
    created = models.DateTimeField(default=timezone.now)
    last_updated = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()  # last use (or creation) + TOKEN_WINDOW, for every kind of token
    status = models.CharField(max_length=8, choices=TokenStatus.choices, default=TokenStatus.ACTIVE)
    revoked_at = models.DateTimeField(null=True, blank=True)
    rate_limit_percent = models.PositiveSmallIntegerField(default=50)
    # The network condition exactly as Okta returns it ({"connection": ..., "include": [...], ...}). It is
    # what authentication reads, so checking it costs no query beyond the token's own row; TokenZone rows
    # hold the same zone ids for integrity and so that zones find the tokens that use them (a revoked
    # token's links are removed: it uses no zone any more).
    network = models.JSONField(default=dict)
    # Rotation (docs/decisions/30): the value that was current before the last rotation keeps working until
    # `previous_valid_until` (never, when the rotation gave it no grace). Only its digest is kept.
    previous_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    previous_valid_until = models.DateTimeField(null=True, blank=True)
    rotated_at = models.DateTimeField(null=True, blank=True)
    # Where and how it is used (docs/decisions/34), as of its last renewal: {"days": {day start: requests} for
    # 30 days, "pairs": the last five (address, user agent) pairs with first and last seen}. Written only by the
    # renewal's UPDATE; the per-address hourly counts stay in the rate limiter's store (ratelimits.counters).
    usage = models.JSONField(default=dict, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["owner", "status"], name="token_owner_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_limit_percent__gte=1, rate_limit_percent__lte=100), name="token_share_1_to_100"
            ),
            models.CheckConstraint(
                condition=Q(status=TokenStatus.ACTIVE) | Q(revoked_at__isnull=False),
                name="revoked_token_has_revoked_at",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_agent_token(self) -> bool:
        return self.agent_id is not None

    @property
    def kind_label(self) -> str:
        return self.client_name if self.is_agent_token else "API token"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == TokenStatus.ACTIVE and self.expires_at > now

    def accepts_previous(self, now=None) -> bool:
        """Whether the value replaced by the last rotation is still inside its grace period."""
        return self.previous_valid_until is not None and self.previous_valid_until > (now or timezone.now())

    @property
    def last_used_from(self) -> str | None:
        pairs = (self.usage or {}).get("pairs") or []
        return pairs[0]["address"] if pairs else None

    @property
    def last_rotated(self):
        """When its current value was issued: the last rotation, else its creation."""
        return self.rotated_at or self.created

    def as_log_party(self) -> Party:
        return Party(id=self.id, type="Token", alternate_id="unknown", display_name=self.name)

    def to_okta(self, request=None) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "userId": self.owner_id,
            "clientName": self.client_name,
            "tokenWindow": "P30D",
            "network": self.network or {"connection": Connection.ANYWHERE},
            "expiresAt": okta_time(self.expires_at),
            "created": okta_time(self.created),
            "lastUpdated": okta_time(self.last_updated),
            "_links": {
                "self": link(request, f"/api/v1/api-tokens/{self.id}", "GET", "DELETE"),
                "user": link(request, f"/api/v1/users/{self.owner_id}", "GET"),
            },
        }


def largest_share(owner) -> int | None:
    """The largest share among `owner`'s active tokens, None without any (one query)."""
    return ApiToken.objects.active().filter(owner=owner).aggregate(largest=Max("rate_limit_percent"))["largest"]


class TokenZoneQuerySet(models.QuerySet):
    def active(self):
        """Links of usable tokens: a revoked or expired token no longer uses a zone, so it never
        blocks the zone's deletion (zones.models.NetworkZone.tokens_using asks for this)."""
        return self.filter(token__status=TokenStatus.ACTIVE, token__expires_at__gt=timezone.now())


class TokenZone(models.Model):
    class Mode(models.TextChoices):
        INCLUDE = "INCLUDE", "include"
        EXCLUDE = "EXCLUDE", "exclude"

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="zone_links")
    zone = models.ForeignKey(NetworkZone, on_delete=models.PROTECT, related_name="token_links")
    mode = models.CharField(max_length=8, choices=Mode.choices)

    objects = TokenZoneQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "zone"], name="one_link_per_token_zone")]

    def __str__(self) -> str:
        """The token's name: how the console and zone messages name a token that uses a zone."""
        return self.token.name


class AuthorizationEpoch(models.Model):
    """The durable authorization epoch (docs/decisions/21): one row whose value moves forward in the
    transaction of every change that can affect what a token may do, so it commits with the change or not at
    all. Redis holds a copy for the per-request check; this row is what a process compares against when that
    copy is missing, older, or cannot be reached. A missing row reads as 0."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.BigIntegerField()

    def __str__(self) -> str:
        return f"authorization epoch {self.value}"


class TokenNotice(models.Model):
    """Something the owner of a token must be told in the console (docs/decisions/31, 32): one of its values
    was reported leaked, or it is about to expire unused. An expiry notice is unique per token, threshold and
    idle period (`period_start`: the last use, or creation, it counts from), which is what makes it once only."""

    class Kind(models.TextChoices):
        LEAKED = "LEAKED", "Reported leaked"
        EXPIRING = "EXPIRING", "About to expire unused"

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    threshold_days = models.PositiveSmallIntegerField(null=True, blank=True)  # EXPIRING: 23, 27 or 29
    period_start = models.DateTimeField(null=True, blank=True)  # EXPIRING: the idle period it belongs to
    message = models.CharField(max_length=255)
    created = models.DateTimeField(default=timezone.now)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["token", "threshold_days", "period_start"],
                condition=Q(kind="EXPIRING"),
                name="one_expiry_notice_per_threshold_and_period",
            )
        ]

    def __str__(self) -> str:
        return self.message
