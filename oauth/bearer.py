"""`Authorization: Bearer <jwt>` and `Authorization: DPoP <jwt>` under /api/: the access tokens of service apps,
decided for tokens/auth.py, which dispatches to `BEARER` (registered in OAuthConfig.ready()).

A token is accepted when this server signed it (a current or retiring signing key), its issuer and audience
are the org URL, it has not expired, its `jti` was not revoked, its app is ACTIVE and was not deactivated
after the token was issued, and — for a DPoP-bound token (`cnf.jkt`), which must come with the DPoP scheme —
the request's DPoP proof holds (method, URL, `ath`, ±60 s, fresh `jti`; oauth/dpop.py). The decision is
tokens.auth's `Accepted`/`Refused`, whose "token" is an `AppCaller`: the rate limiter counts it per app
(its caller and owner buckets are both the app's), and `request.user` becomes the app's `AppPrincipal`,
whose permissions are what both its admin roles and its token's scopes allow (accounts/permissions.py).

Verified tokens are kept in the same snapshot store as SSWS tokens (tokens/snapshots.py), keyed by the
SHA-256 of the token and carrying the durable authorization epoch read with the app: no signature check per
request, and a deactivation, deletion, revocation, scope or role change (each moves the epoch) is honoured on
the next request in every process. A DPoP proof is new on every request, so it is always verified."""

import hashlib
import re
import time
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Subquery

from oauth import dpop, server
from oauth.models import AppRole, AppStatus, RevokedAccessToken, ScopeGrant, ServiceApp
from tokens import auth
from tokens.snapshots import DURABLE_EPOCH, snapshots

SCHEME = re.compile(
    r"(?P<scheme>[Bb][Ee][Aa][Rr][Ee][Rr]|[Dd][Pp][Oo][Pp]) +(?P<value>[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)"
)
MAX_TOKEN = 8192  # a longer value is refused before any lookup
APP_SHARE = 50  # an app's bucket share of each limit, as a new token's default (docs/decisions/09, 24)


@dataclass(frozen=True, eq=False)
class AppPrincipal:
    """`request.user` for an app's token: no person, the app's roles, the token's scopes still granted."""

    app: ServiceApp
    role_types: frozenset
    oauth_scopes: frozenset
    is_authenticated = True
    is_anonymous = False
    is_active = True

    @property
    def pk(self) -> str:
        return self.app.id

    @property
    def id(self) -> str:
        return self.app.id

    def as_log_party(self):
        return self.app.as_log_party()

    def __str__(self) -> str:
        return self.app.name


@dataclass(frozen=True, eq=False)
class AppCaller:
    """`request.api_token` for an app's token: what the rate limiter and the System Log read."""

    owner: AppPrincipal
    jti: str
    issued: float
    expires: float
    jkt: str | None
    token_scopes: frozenset
    rate_limit_percent: int = APP_SHARE
    owner_largest_share: int = APP_SHARE
    digest: str = field(default="", repr=False)

    @property
    def id(self) -> str:  # the caller bucket
        return self.owner.app.id

    @property
    def transaction_detail(self) -> dict:
        return {"requestOAuthClientId": self.owner.app.id}

    def as_log_party(self):
        return self.owner.app.as_log_party()


def _aggregate(model, column: str) -> Subquery:
    return Subquery(
        model.objects.filter(app=OuterRef("pk"))
        .order_by()
        .values("app")
        .annotate(v=auth.RoleList(column))
        .values("v")[:1]
    )


def find_app(client_id: str, jti: str) -> ServiceApp | None:
    """The app, its scopes and roles, whether this token was revoked, and the durable authorization epoch, in one
    statement (docs/decisions/21)."""
    query = ServiceApp.objects.annotate(
        granted=_aggregate(ScopeGrant, "scope"),
        role_list=_aggregate(AppRole, "role_type"),
        revoked=Exists(RevokedAccessToken.objects.filter(jti=jti)),
        auth_epoch=DURABLE_EPOCH,
    )
    return next(iter(query.filter(pk=client_id)[:1]), None)


def ended(app: ServiceApp, issued: float) -> bool:
    """Issued before the app was last deactivated. `iat` has whole seconds and `tokens_not_before` is the next
    whole second after the deactivation, so a token of the deactivation's own second is refused too (a token
    asked for in the second of a reactivation must be asked for again: fail closed)."""
    return app.tokens_not_before is not None and issued < app.tokens_not_before.timestamp()


def _split(value: str | None) -> frozenset:
    return frozenset((value or "").split(",")) - {""}


class Bearer:
    def authenticate(self, header: str, client_ip: str | None, request) -> auth.Decision:
        match = SCHEME.fullmatch(header) if len(header) <= MAX_TOKEN + 10 else None
        if match is None:  # not a compact JWS: refused before any query
            return self._refused(auth.Reason.MALFORMED, None)
        value, scheme = match["value"], match["scheme"].lower()
        digest = hashlib.sha256(value.encode()).hexdigest()
        snapshot = snapshots.get(digest)
        if snapshot is not None and isinstance(snapshot.token, AppCaller) and snapshot.token.expires > time.time():
            caller = snapshot.token
            refused = self._proof_refusal(caller, scheme, value, request, digest)
            return refused or auth.Accepted(caller, snapshot.epoch, auth.Source.SNAPSHOT, digest, verifier=self)
        return self._from_database(value, scheme, digest, request)

    def _from_database(self, value: str, scheme: str, digest: str, request) -> auth.Decision:
        claims = server.verified_access_token(value)
        if claims is None:
            snapshots.forget(digest)
            return self._refused(auth.Reason.UNUSABLE, digest)
        app = find_app(claims["cid"], claims["jti"])
        if app is None or app.status != AppStatus.ACTIVE or app.revoked or ended(app, claims["iat"]):
            snapshots.forget(digest)
            return self._refused(auth.Reason.UNUSABLE, digest)
        principal = AppPrincipal(app, _split(app.role_list), frozenset(claims["scp"]) & _split(app.granted))
        jkt = (claims.get("cnf") or {}).get("jkt") if isinstance(claims.get("cnf"), dict) else None
        caller = AppCaller(
            principal,
            claims["jti"],
            float(claims["iat"]),
            float(claims["exp"]),
            jkt,
            frozenset(claims["scp"]),
            digest=digest,
        )
        epoch = app.auth_epoch or 0
        snapshots.keep(digest, caller, epoch)
        refused = self._proof_refusal(caller, scheme, value, request, digest)
        return refused or auth.Accepted(caller, str(epoch), auth.Source.DATABASE, digest, verifier=self)

    def _proof_refusal(self, caller: AppCaller, scheme: str, value: str, request, digest: str):
        if caller.jkt is None:
            if scheme == "dpop":
                return self._refused(
                    auth.Reason.UNUSABLE,
                    digest,
                    'DPoP error="invalid_token", error_description="This access token is not DPoP-bound: use Bearer."',
                )
            return None
        if scheme != "dpop":
            return self._refused(
                auth.Reason.UNUSABLE,
                digest,
                'DPoP error="invalid_token", '
                'error_description="This access token is DPoP-bound: send it with a DPoP proof."',
            )
        if request is None:
            return self._refused(auth.Reason.UNUSABLE, digest)
        try:
            proof = dpop.verify(
                request.META.get("HTTP_DPOP"),
                method=request.method,
                url=server.org_url() + request.path,
                access_token=value,
            )
        except dpop.ProofError as error:
            return self._refused(
                auth.Reason.UNUSABLE, digest, f'DPoP error="invalid_dpop_proof", error_description="{error}"'
            )
        if proof.jkt != caller.jkt:
            return self._refused(
                auth.Reason.UNUSABLE,
                digest,
                'DPoP error="invalid_dpop_proof", error_description="The DPoP proof key is not the token\'s."',
            )
        return None

    def _refused(self, reason, digest, challenge: str | None = None) -> auth.Refused:
        return auth.Refused(reason, None, digest, verifier=self, challenge=challenge)

    def recheck(self, decision: auth.Decision, client_ip: str | None) -> auth.Decision:
        """Decided again from the database (its snapshot's epoch moved): the app as it is now. The DPoP proof
        was verified when the request was first decided, and its jti is spent, so it is not checked again."""
        if not isinstance(decision, auth.Accepted):
            return decision
        snapshots.forget(decision.digest)
        caller = decision.token
        app = find_app(caller.owner.app.id, caller.jti)
        if (
            app is None
            or app.status != AppStatus.ACTIVE
            or app.revoked
            or caller.expires <= time.time()
            or ended(app, caller.issued)
        ):
            return self._refused(auth.Reason.UNUSABLE, decision.digest)
        principal = AppPrincipal(app, _split(app.role_list), caller.token_scopes & _split(app.granted))
        fresh = AppCaller(
            principal,
            caller.jti,
            caller.issued,
            caller.expires,
            caller.jkt,
            caller.token_scopes,
            digest=decision.digest,
        )
        epoch = app.auth_epoch or 0
        snapshots.keep(decision.digest, fresh, epoch)
        return auth.Accepted(fresh, str(epoch), auth.Source.DATABASE, decision.digest, verifier=self)


BEARER = Bearer()
