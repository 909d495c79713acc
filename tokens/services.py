"""Token operations. Console views, /api/v1/api-tokens and management commands
all call these, so each change leaves the same System Log event whichever path
made it. Every revocation, whoever asks (console, API, `DELETE
/api-tokens/current`, `token_revoke`, a deactivated owner, an agent's
lifecycle), goes through `token_revoke`. Deactivating a user is accounts'
service; it sends `user_deactivated`, and `tokens_deprovision` (connected in
TokensConfig.ready) revokes the user's tokens in the same transaction."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.permissions import Perm, has_perm
from accounts.roles import RoleType, UserStatus
from api.http import okta_time
from syslog.events import Party, record
from tokens import snapshots, values
from tokens.models import TOKEN_WINDOW, Agent, AgentStatus, AgentType, ApiToken, TokenNotice, TokenStatus, TokenZone
from tokens.network import clean_network

log = logging.getLogger(__name__)


def _targets(token: ApiToken, **changes: tuple) -> list[Party]:
    """The token (with its changes as (old, new) pairs) and its owner (docs/decisions/05)."""
    return [token.as_log_party().with_changes(**changes), token.owner.as_log_party()]


HALF = 50  # a share above this is a super administrator's decision (docs/decisions/09)


def _share_refusal(percent, *, request, actor) -> str | None:
    """Why this share cannot be set by whoever asks (the actor, else the request's user), or None. Code with
    neither (management commands, the shell) runs as the operator and may set any share."""
    if not isinstance(percent, int) or not 1 <= percent <= 100:
        return "Choose a share between 1 and 100 %."
    who = actor if actor is not None else getattr(request, "user", None)
    if percent > HALF and who is not None and not has_perm(who, Perm.TOKEN_SHARE_ABOVE_HALF):
        return f"Only a super administrator can give a token more than {HALF} % of a limit."
    return None


def _link_zones(token: ApiToken, links: list[tuple[str, str]]) -> None:
    TokenZone.objects.filter(token=token).delete()
    TokenZone.objects.bulk_create(TokenZone(token=token, zone_id=zone_id, mode=mode) for zone_id, mode in links)


def token_create(
    *,
    owner,
    name: str,
    network: dict | None = None,
    rate_limit_percent: int = 50,
    request=None,
    actor=None,
    agent: Agent | None = None,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its value, which exists nowhere else afterwards."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": ["A token needs a name."]})
    if why := _share_refusal(rate_limit_percent, request=request, actor=actor):
        raise ValidationError({"rate_limit_percent": [why]})
    condition, links = clean_network(network)
    value = values.generate()
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name,
            owner=owner,
            digest=values.digest(value),
            network=condition,
            rate_limit_percent=rate_limit_percent,
            created=now,
            last_updated=now,
            agent=agent,
            client_name=AgentType(agent.type).label if agent else "Okta API",
            expires_at=now + TOKEN_WINDOW,  # agent tokens too (docs/decisions/07): renewed by use like any token
        )
        _link_zones(token, links)
        if rate_limit_percent > settings.RATE_LIMIT_SESSION_PERCENT:
            # It may raise its owner's bucket, which the owner's other tokens carry in their snapshots
            # (tokens/auth.py find_token); a new token is otherwise in nobody's snapshot (tokens/apps.py).
            snapshots.changed()
        record("system.api_token.create", request=request, actor=actor, targets=_targets(token))
    return token, value


def token_revoke(
    *, token: ApiToken, request=None, actor=None, reason: str | None = None, by_agent: bool = False
) -> ApiToken:
    """docs/decisions/05: targets are [Token, owner]. People may revoke an agent's token only when the
    agent is not active; `by_agent` is the agent's own lifecycle replacing its token."""
    if token.agent is not None and token.agent.is_active and not by_agent:
        raise ValidationError("Deactivate the agent before revoking its token.")
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, status=TokenStatus.ACTIVE).update(
            status=TokenStatus.REVOKED, revoked_at=timezone.now(), last_updated=timezone.now()
        )
        if not updated:
            raise ValidationError("This token is already revoked.")
        snapshots.changed()  # QuerySet.update() sends no signal
        TokenZone.objects.filter(token=token).delete()
        token.refresh_from_db()
        record("system.api_token.revoke", request=request, actor=actor, targets=_targets(token), reason=reason)
    return token


def _locked_for_change(token: ApiToken) -> ApiToken:
    """The token's row, locked until the transaction ends, so concurrent changes apply one after the
    other and each event's `from` is what the change replaced; a revoked token cannot be changed
    (a change racing its revocation would otherwise link a revoked token to zones)."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.status != TokenStatus.ACTIVE:
        raise ValidationError("This token is revoked; it cannot be changed.")
    return locked


def token_update_network(*, token: ApiToken, network, request=None, actor=None) -> ApiToken:
    """Replace the network condition wholesale (PUT semantics); expiry does not move."""
    condition, links = clean_network(network)
    with transaction.atomic():
        token = _locked_for_change(token)
        previous = token.network
        token.network = condition
        token.last_updated = timezone.now()
        token.save(update_fields=["network", "last_updated"])
        _link_zones(token, links)
        record(
            "system.api_token.update",
            request=request,
            actor=actor,
            targets=_targets(token, network=(previous, condition)),
        )
    return token


def token_update_share(*, token: ApiToken, percent: int, request=None, actor=None) -> ApiToken:
    """A new share moves the authorization epoch (the save's signal): every snapshot of the owner's tokens
    carries the owner's largest share."""
    if why := _share_refusal(percent, request=request, actor=actor):
        raise ValidationError(why)
    with transaction.atomic():
        token = _locked_for_change(token)
        previous = token.rate_limit_percent
        token.rate_limit_percent = percent
        token.last_updated = timezone.now()
        token.save(update_fields=["rate_limit_percent", "last_updated"])
        record(
            "system.api_token.update",
            request=request,
            actor=actor,
            targets=_targets(token, rateLimitPercent=(previous, percent)),
        )
    return token


def tokens_deprovision(*, user, request=None, actor=None) -> None:
    """Revoke every token a deactivated user created, one revoke event per token (developer guide;
    docs/decisions/02). Runs inside accounts.services.user_deactivate's transaction."""
    for token in ApiToken.objects.filter(owner=user, status=TokenStatus.ACTIVE).select_related("owner", "agent"):
        if token.agent is not None and token.agent.is_active:
            continue  # an active agent keeps its managed token until the agent is deactivated
        token_revoke(token=token, request=request, actor=actor, reason="Owner deactivated")


# --- agents (docs/decisions/07) ---------------------------------------------------


def _record_agent(action: str, agent: Agent, *, request=None, actor=None) -> None:
    record(f"system.agent.{agent.type.lower()}.{action}", request=request, actor=actor, targets=[agent.as_log_party()])


def agent_activate(*, agent: Agent, by, request=None) -> tuple[Agent, str]:
    """Activate or reactivate an agent: it gets a fresh managed token owned by
    the activating admin; the value goes to the agent, never to a page."""
    with transaction.atomic():
        agent.status, agent.registered, agent.activated_by = AgentStatus.ACTIVE, True, by
        agent.last_updated = timezone.now()
        agent.save()
        _record_agent("reactivate", agent, request=request, actor=by)
        for old in agent.tokens.filter(status=TokenStatus.ACTIVE).select_related("owner", "agent"):
            token_revoke(
                token=old, request=request, actor=by, reason="Agent reactivated with a new token", by_agent=True
            )
        token, value = token_create(owner=by, name=f"{agent.name} token", agent=agent, request=request, actor=by)
    return agent, value


def agent_deactivate(*, agent: Agent, request=None, actor=None) -> Agent:
    """AD agents revoke their own token on deactivation; other agents leave it,
    revocable from the Tokens page now that the agent is not active."""
    with transaction.atomic():
        agent.status = AgentStatus.INACTIVE
        agent.last_updated = timezone.now()
        agent.save()
        _record_agent("deactivate", agent, request=request, actor=actor)
        if agent.type == AgentType.AD:
            for token in agent.tokens.filter(status=TokenStatus.ACTIVE).select_related("owner", "agent"):
                token_revoke(token=token, request=request, actor=actor, reason="AD agent deactivated")
    return agent


def agent_unregister(*, agent: Agent, request=None, actor=None) -> Agent:
    """The agent is no longer registered: its token, if any, becomes suspicious (yellow)."""
    with transaction.atomic():
        agent.registered = False
        agent.status = AgentStatus.INACTIVE
        agent.last_updated = timezone.now()
        agent.save()
        _record_agent("delete", agent, request=request, actor=actor)
    return agent


# --- lifecycle beyond Okta: rotation, leaked values (docs/decisions/30, 31) ---------

GRACE_PERIODS = {  # the choices offered for the rotated-away value (docs/decisions/30)
    "none": timedelta(0),
    "1h": timedelta(hours=1),
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
}


def token_rotate(*, token: ApiToken, grace: str, request=None, actor=None) -> tuple[ApiToken, str]:
    """Issue a new value for the same token (id, name, network, share, owner); the current value keeps working
    for the grace period chosen (a key of GRACE_PERIODS) and is refused after it. A value still in an earlier
    rotation's grace period stops working at once: a token has at most one pending previous value. Returns the
    token and its new value, which exists nowhere else afterwards."""
    if grace not in GRACE_PERIODS:
        raise ValidationError({"grace": [f"Choose a grace period: {', '.join(GRACE_PERIODS)}."]})
    if token.agent_id is not None:
        raise ValidationError("An agent's token is replaced by reactivating the agent.")
    value = values.generate()
    now = timezone.now()
    with transaction.atomic():
        token = _locked_for_change(token)
        if not token.is_usable(now):
            raise ValidationError("This token has expired; it cannot be rotated.")
        ended = token.previous_valid_until if token.accepts_previous(now) else None
        until = now + GRACE_PERIODS[grace] if GRACE_PERIODS[grace] else None
        token.previous_digest = token.digest if until else None
        token.previous_valid_until = until
        token.digest = values.digest(value)
        token.rotated_at = token.last_updated = now
        # The save's signal moves the authorization epoch: every process reads the token again.
        token.save(update_fields=["digest", "previous_digest", "previous_valid_until", "rotated_at", "last_updated"])
        record(
            "warden.api_token.rotate",
            request=request,
            actor=actor,
            targets=_targets(token, previousValueValidUntil=(okta_time(ended), okta_time(until))),
            reason=f"Previous value accepted until {okta_time(until)}" if until else "Previous value refused at once",
        )
    return token, value


def _end_previous_value(token: ApiToken, *, request) -> None:
    """A reported previous value: its grace period ends now; the token's current value keeps working."""
    ApiToken.objects.filter(pk=token.pk).update(previous_digest=None, previous_valid_until=None)
    snapshots.changed()


def tokens_report_leaked(*, candidates: list[str], request=None) -> int:
    """Values found in the wild (docs/decisions/31): each well-formed one that is a usable token's current value
    revokes the token; one that is a token's previous value still in its grace period ends that grace. Either is
    recorded with the reporter's address (the request's client) and leaves the owner a notice. Returns how many
    tokens were affected; the caller must not tell the reporter (no oracle)."""
    digests = {values.digest(value) for value in candidates if values.well_formed(value)}
    if not digests:
        return 0
    found = list(
        ApiToken.objects.active()
        .filter(Q(digest__in=digests) | Q(previous_digest__in=digests))
        .select_related("owner", "agent")
    )
    affected = 0
    for token in found:
        with transaction.atomic():
            if token.digest in digests:
                try:
                    token_revoke(token=token, request=request, reason="Value reported leaked", by_agent=True)
                except ValidationError:
                    continue  # revoked meanwhile
                what = "Its value was reported as found in the wild; the token was revoked."
            elif token.accepts_previous():
                _end_previous_value(token, request=request)
                what = "Its previous value was reported as found in the wild; it no longer works."
            else:
                continue
            record("warden.api_token.leak_report", request=request, targets=_targets(token), reason=what)
            TokenNotice.objects.create(token=token, kind=TokenNotice.Kind.LEAKED, message=f"Token {token.name}: {what}")
            affected += 1
    return affected


# --- expiry notices (docs/decisions/32) ------------------------------------------

EXPIRY_THRESHOLDS = (23, 27, 29)  # days unused; the window is 30 (TOKEN_WINDOW)


def _super_admin_addresses() -> list[str]:
    supers = User.objects.filter(status=UserStatus.ACTIVE, role_assignments__role_type=RoleType.SUPER_ADMIN)
    return sorted(set(supers.values_list("login", flat=True)))


def tokens_notify_expiring(*, now=None) -> int:
    """Tell the owner of every token unused for 23, 27 or 29 days, and the super admins, by e-mail and with a
    console notice, each recorded in the System Log: once per threshold and idle period. The period is the last
    use (or creation) the window counts from, so a use starts a new one; a run that finds a token past several
    thresholds it missed sends only the highest. The notice row is unique per (token, threshold, period) and is
    written before the e-mail is sent in the same transaction: concurrent runs send it once, a failed send is
    retried by the next run. Returns how many notices were sent."""
    now = now or timezone.now()
    sent = 0
    supers = None
    tokens = ApiToken.objects.active().filter(
        expires_at__lte=now + TOKEN_WINDOW - timedelta(days=min(EXPIRY_THRESHOLDS))
    )
    for token in tokens.select_related("owner").order_by("expires_at"):
        period_start = token.expires_at - TOKEN_WINDOW
        idle = now - period_start
        threshold = max(days for days in EXPIRY_THRESHOLDS if idle >= timedelta(days=days))
        if TokenNotice.objects.filter(
            token=token, kind=TokenNotice.Kind.EXPIRING, period_start=period_start, threshold_days__gte=threshold
        ).exists():
            continue
        left = token.expires_at - now
        message = (
            f"Token {token.name} has not been used for {threshold} days and expires "
            f"{token.expires_at:%Y-%m-%d %H:%M} UTC unless it is used before then."
        )
        if supers is None:
            supers = _super_admin_addresses()
        try:
            with transaction.atomic():
                TokenNotice.objects.create(
                    token=token,
                    kind=TokenNotice.Kind.EXPIRING,
                    threshold_days=threshold,
                    period_start=period_start,
                    message=message,
                    created=now,
                )
                record(
                    "warden.api_token.expiry_notice",
                    targets=_targets(token),
                    reason=f"Unused for {threshold} days; {left.days} day(s) left",
                )
                EmailMessage(
                    subject=f"Warden: API token {token.name} expires in {max(left.days, 0)} day(s)",
                    body=f"{message}\n\nToken ID: {token.id}\nOwner: {token.owner.login}\n",
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[token.owner.login],
                    cc=[address for address in supers if address != token.owner.login],
                ).send()
        except IntegrityError:
            continue  # another run sent this one
        except OSError:  # SMTP unreachable or refusing: nothing was kept, the next run tries again
            log.warning("could not send the expiry notice for token %s", token.id)
            continue
        sent += 1
    return sent
