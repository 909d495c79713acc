"""SSWS authentication as one unit: a request's credential in, a typed decision out.

`authenticate(header, client_ip)` turns the `Authorization` header of an /api/
request into one of two results (docs/decisions 01, 03, 04, 07):

- `Accepted`: the token, its owner and the owner's roles, and where the decision
  came from: a token snapshot (tokens/snapshots.py), which the rate limiter must
  still check against the authorization epoch in its Redis round trip, or the
  database, which needs no check.
- `Refused`: why, and the Okta error to answer. A credential that is malformed,
  unknown, revoked, expired or whose owner is not active is 401 E0000011 — the same
  body whatever the cause, so the response says nothing about why. A token that
  exists but may not be used here (an agent's; a request from outside its zones)
  is 403 E0000006, still identified by its token, so the rate limiter counts it
  against that token and answers it with X-Rate-Limit headers like every other
  API response.

A rotated token also answers to its previous value until that value's deadline (docs/decisions/30), checked
against the clock whether the token came from the database or a snapshot.

Only acceptance is ever decided from a snapshot: a snapshot that would refuse is
decided again from the database (another process may have renewed its expiry).
`recheck(decision, client_ip)` decides a credential again from the database: the
rate limiter calls it when the epoch has moved or cannot be checked. A decision
from the database carries the durable authorization epoch read in the token's own
statement (docs/decisions/21), which the rate limiter announces.

`attach(request, decision)` is the one place that puts a decision on a request
(api.http.ApiRequest lists what the pipeline adds) and records the out-of-zone refusal
in the System Log. `renews(decision, status)` says which token a finished request
used: one that passed authentication, the network check and the rate limiter
(docs/decisions/04), which for an agent's token is the 403 that refuses it only for
privilege (docs/decisions/07). `renew(token)` then moves `lastUsed` and `expiresAt`, at
most once a minute per token, as a conditional UPDATE that never touches a token the
database says is revoked or expired (a snapshot may not know yet)."""

import enum
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from django.contrib.auth.models import AnonymousUser
from django.db.models import Aggregate, CharField, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.models import RoleAssignment, User
from accounts.roles import UserStatus
from api.errors import json_error
from syslog.events import record_refusal
from syslog.outcomes import Outcome
from tokens import values
from tokens.models import TOKEN_WINDOW, ApiToken, TokenStatus
from tokens.network import network_allows
from tokens.snapshots import DURABLE_EPOCH, snapshots

SSWS = re.compile(r"[Ss][Ss][Ww][Ss] *(?P<value>.*)")  # docs/decisions/01: any case, zero or more spaces
RENEW_EVERY = timedelta(minutes=1)


class Source(enum.Enum):
    SNAPSHOT = "snapshot"  # to be checked against the authorization epoch before it is trusted
    DATABASE = "database"


class Reason(enum.Enum):
    """Why a credential was refused, and the Okta error that answers it."""

    # The first element keeps members with the same error distinct (equal values would make aliases).
    MALFORMED = ("malformed", "E0000011", 401)  # not an SSWS header, or not a well-formed token value
    UNUSABLE = ("unusable", "E0000011", 401)  # unknown, revoked or expired, or its owner is not active
    AGENT = ("agent", "E0000006", 403)  # docs/decisions/07: agent tokens have no Management API privilege
    OUTSIDE = ("outside", "E0000006", 403)  # the request comes from outside the token's network zones

    def __init__(self, key: str, error: str, status: int):
        self.error, self.status = error, status


@dataclass(frozen=True)
class Accepted:
    token: ApiToken  # or, decided by a registered Bearer verifier, its caller (oauth.bearer.AppCaller)
    epoch: str  # the durable authorization epoch read with the token (docs/decisions/21)
    source: Source
    digest: str = field(repr=False)
    verifier: "Bearer | None" = field(default=None, repr=False)  # None: SSWS

    @property
    def owner(self) -> User:
        return self.token.owner

    @property
    def roles(self) -> frozenset[str]:
        return self.token.owner.role_types


@dataclass(frozen=True)
class Refused:
    reason: Reason
    token: ApiToken | None = None  # set for 403s: the token is known, only its use here is refused
    digest: str | None = field(default=None, repr=False)
    verifier: "Bearer | None" = field(default=None, repr=False)  # None: SSWS
    challenge: str | None = None  # a WWW-Authenticate value for the refusal (OAuth tokens)

    @property
    def error(self) -> str:
        return self.reason.error

    @property
    def status(self) -> int:
        return self.reason.status


Decision = Accepted | Refused


# --- OAuth 2.0 access tokens (docs/decisions/24) -----------------------------------------------------------
# `Authorization: Bearer …` and `Authorization: DPoP …` are decided by the verifier `oauth` registers from its
# AppConfig.ready() (oauth/bearer.py); without one they are refused like any malformed credential.
BEARER_SCHEME = re.compile(r"(?:[Bb][Ee][Aa][Rr][Ee][Rr]|[Dd][Pp][Oo][Pp]) .*", re.DOTALL)


class Bearer(Protocol):
    def authenticate(self, header: str, client_ip: str | None, request: HttpRequest | None) -> "Decision": ...

    def recheck(self, decision: "Decision", client_ip: str | None) -> "Decision": ...


_bearer: dict[str, Bearer] = {}


def register_bearer(verifier: Bearer) -> None:
    _bearer["verifier"] = verifier


# --- end OAuth ---------------------------------------------------------------------------------------------


class RoleList(Aggregate):
    """The owner's role types as one comma-separated string, so roles come back in
    the token's own query (string_agg on PostgreSQL, group_concat on SQLite)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


OWNER_ROLES = Subquery(
    RoleAssignment.objects.filter(user=OuterRef("owner_id"))
    .order_by()
    .values("user")
    .annotate(roles=RoleList("role_type"))
    .values("roles")[:1]
)


# The largest share among the owner's active tokens: its owner bucket (docs/decisions/09). A change of share
# or a revocation moves the authorization epoch, and so does a new token that could raise it
# (tokens/services.py token_create); an expiry moves nothing, so another token's snapshot may keep an expired
# token's larger share for at most AUTH_SNAPSHOT_SECONDS.
def owner_largest_share() -> Subquery:
    """Built per query: "active" means unexpired as of now."""
    return Subquery(ApiToken.objects.active().filter(owner=OuterRef("owner_id")).largest_shares().values("largest")[:1])


def find_token(digest: str) -> ApiToken | None:
    """The token with this digest, its owner (with the owner's role types and largest share), its agent and the
    durable authorization epoch, in one query: one statement sees the epoch and the rows as of the same moment."""
    query = ApiToken.objects.select_related("owner", "agent").annotate(
        owner_roles=OWNER_ROLES, owner_largest_share=owner_largest_share(), auth_epoch=DURABLE_EPOCH
    )
    # A rotated token answers to its pending previous value too (docs/decisions/30); both columns are unique.
    token = next(iter(query.filter(Q(digest=digest) | Q(previous_digest=digest))[:1]), None)
    if token is not None:
        token.owner.preload_role_types(frozenset((token.owner_roles or "").split(",")) - {""})
    return token


def _why_not(token: ApiToken | None, client_ip: str | None, digest: str) -> Reason | None:
    """Why this request may not use this token (no side effects), or None."""
    if token is None or not token.is_usable() or token.owner.status != UserStatus.ACTIVE:
        return Reason.UNUSABLE
    if digest != token.digest and not token.accepts_previous():  # a rotated-away value past its grace (decision 30)
        return Reason.UNUSABLE
    if not network_allows(token.network, client_ip):
        return Reason.OUTSIDE
    # Last, so that AGENT means "refused only for privilege": the agent's token is usable and in its
    # network, and a request the rate limiter admits is the agent's use of it (docs/decisions/07; see renews()).
    if token.agent_id is not None:
        return Reason.AGENT
    return None


def _from_database(digest: str, client_ip: str | None) -> Decision:
    token = find_token(digest)
    why = _why_not(token, client_ip, digest)
    if why is None:
        epoch = token.auth_epoch or 0
        snapshots.keep(digest, token, epoch)
        return Accepted(token, str(epoch), Source.DATABASE, digest)
    snapshots.forget(digest)
    return Refused(why, token if why.status == 403 else None, digest)


def authenticate(header: str, client_ip: str | None, request: HttpRequest | None = None) -> Decision:
    """Decide an SSWS `Authorization` header: from a snapshot when one accepts it, else from the database.
    A Bearer or DPoP header goes to the registered verifier (the request carries the DPoP proof)."""
    if BEARER_SCHEME.fullmatch(header):
        verifier = _bearer.get("verifier")
        return verifier.authenticate(header, client_ip, request) if verifier else Refused(Reason.MALFORMED)
    match = SSWS.fullmatch(header)
    if match is None or not values.well_formed(match["value"]):
        return Refused(Reason.MALFORMED)  # refused before any query
    digest = values.digest(match["value"])
    snapshot = snapshots.get(digest)
    if snapshot is not None and _why_not(snapshot.token, client_ip, digest) is None:
        return Accepted(snapshot.token, snapshot.epoch, Source.SNAPSHOT, digest)
    return _from_database(digest, client_ip)


def recheck(decision: Decision, client_ip: str | None) -> Decision:
    """The same credential decided again from the database (its snapshot's epoch moved, or cannot be checked)."""
    if decision.digest is None:
        return decision  # malformed: nothing to look up
    if decision.verifier is not None:
        return decision.verifier.recheck(decision, client_ip)
    return _from_database(decision.digest, client_ip)


def attach(request: HttpRequest, decision: Decision) -> None:
    """Put a decision on the request (see ApiRequest), recording an out-of-zone refusal in the System Log."""
    request.ssws = decision
    token = decision.token
    request.api_token = token
    request.user = token.owner if token is not None else AnonymousUser()
    if isinstance(decision, Refused) and decision.reason is Reason.OUTSIDE:
        record_refusal(
            "token-network",
            token.id,
            "system.api_token.request_outside_allowed_range",
            request=request,
            actor=token.owner,
            targets=[token],
            outcome=Outcome.DENY,
            reason="Request from outside the token's allowed network zones",
        )


def refusal_response(decision: Refused) -> HttpResponse:
    response = json_error(decision.error)
    if decision.challenge:
        response["WWW-Authenticate"] = decision.challenge
    return response


def renews(decision: Decision | None, status: int) -> ApiToken | None:
    """The token this request used, if its answer shows it passed authentication, the network check and
    the rate limiter (docs/decisions/04), else None. An accepted token's request counts unless it was answered
    401, 403 or 429. An agent's token is refused every Management API call (docs/decisions/07), and that
    refusal is its use: the rate limiter answers it with the 403 itself (429 when over the limit), so a
    403 for Reason.AGENT means every check but privilege passed. Without this an active agent's token,
    whose expiry is its last use plus 30 days like any token's, would expire however often it is used."""
    if getattr(decision, "verifier", None) is not None:
        return None  # an access token lives its hour and is never renewed
    if isinstance(decision, Accepted):
        return decision.token if status not in (401, 403, 429) else None
    if isinstance(decision, Refused) and decision.reason is Reason.AGENT and status == 403:
        return decision.token
    return None


def renewal_due(token: ApiToken) -> bool:
    """Whether a use of this token now would renew it (so the rate limiter asks for its usage summary)."""
    return token.last_used is None or timezone.now() - token.last_used >= RENEW_EVERY


def renew(token: ApiToken, usage: dict | None = None) -> None:
    """`usage`: the token's usage summary from the rate limiter's round trip (docs/decisions/34), written in the
    same UPDATE, so usage tracking adds no database write."""
    now = timezone.now()
    if token.last_used is not None and now - token.last_used < RENEW_EVERY:
        return
    changes = {"last_used": now, "last_updated": now, "expires_at": now + TOKEN_WINDOW}
    if usage is not None:
        changes["usage"] = usage
    renewed = (
        ApiToken.objects.filter(pk=token.pk, status=TokenStatus.ACTIVE, expires_at__gt=now)  # never revives
        .filter(Q(last_used__isnull=True) | Q(last_used__lt=now - RENEW_EVERY))
        .update(**changes)
    )
    if not renewed:
        # Revoked or expired behind this process's back (raw SQL announces nothing), or renewed by another
        # process within the minute: either way the next request reads the row again.
        snapshots.forget(token.digest)
        return
    # The row is fresh for a minute: the snapshot (if this token is one) must not send the UPDATE again
    # on every request meanwhile.
    for name, value in changes.items():
        setattr(token, name, value)
