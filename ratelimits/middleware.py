"""Pipeline step 5: rate limits (docs/decisions/09; README "Rate limits").

`RateLimit` sits right after SSWS authentication: an SSWS request counts against
its token's bucket, a session request against its user's bucket
(RATE_LIMIT_SESSION_PERCENT of the group limit); then against the owner's bucket
(all of one person's tokens and console session together: the largest share among
them, ratelimits/policy.py) and the org-wide bucket of its endpoint group, all in
one Redis round trip. Over the limit it answers
429 E0000047 itself, so the view never runs and the tokens middleware (outside
us) sees a 429 and does not renew the token. It reads the authentication decision
(tokens/auth.py) on the request: an accepted token's authorization epoch is checked
in the counting script itself, and when it has moved the credential is decided
again from the database and counted once.

`UnauthenticatedLimit` sits before CORS and authentication: it limits, per
client IP with django-ratelimit and much more tightly, what never reaches a
token bucket — CORS preflights (answered by corsheaders before authentication)
and requests whose credentials were refused (401). Requests without any
credentials, and requests refused for coming from outside their token's zones
(a stolen token used elsewhere must not use up its owner's buckets), are limited
the same way by `RateLimit`. These fail closed when the
cache is down; SSWS requests fail open."""

import logging
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import get_usage

from api.errors import json_error
from api.middleware import client_ip, is_api
from ratelimits import counters, groups, policy
from syslog.events import record
from syslog.outcomes import Outcome
from tokens import auth
from tokens.models import ApiToken, largest_share

log = logging.getLogger(__name__)
UNAUTHENTICATED_GROUP = "ratelimits:unauthenticated"
STORE_WARNING_EVERY = 60.0  # seconds, per process
_last_store_warning = {"at": -1e9}


def set_headers(response: HttpResponse, limit: int, remaining: int, reset: int) -> HttpResponse:
    response["X-Rate-Limit-Limit"] = str(limit)
    response["X-Rate-Limit-Remaining"] = str(max(0, remaining))
    response["X-Rate-Limit-Reset"] = str(reset)
    return response


def too_many(limit: int, reset: int) -> HttpResponse:
    return set_headers(json_error("E0000047"), limit, 0, reset)


def unauthenticated_usage(request: HttpRequest) -> dict | None:
    """Count one unauthenticated request for its client IP. None when the cache
    is unreachable (the caller then refuses: fail closed)."""
    try:
        usage = get_usage(
            request,
            group=UNAUTHENTICATED_GROUP,
            key=lambda g, r: client_ip(r),
            rate=settings.RATE_LIMIT_UNAUTHENTICATED,
            increment=True,
        )
    except Exception:  # django-redis raises ConnectionInterrupted when Redis is down
        log.warning("rate-limit cache unavailable; refusing unauthenticated API request")
        return None
    if usage is None or usage["limit"] == 0:  # django-ratelimit's own "cache failed" answer
        return None
    return usage


def limit_unauthenticated(request: HttpRequest, get_response) -> HttpResponse:
    """Count first, then answer (or refuse); used for requests with no credentials."""
    usage = unauthenticated_usage(request)
    window = settings.RATE_LIMIT_WINDOW_SECONDS
    if usage is None:
        return too_many(0, int(time.time()) // window * window + window)
    reset = int(time.time()) + max(0, usage["time_left"])
    if usage["should_limit"]:
        return too_many(usage["limit"], reset)
    return set_headers(get_response(request), usage["limit"], usage["limit"] - usage["count"], reset)


class UnauthenticatedLimit:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_api(request):
            return self.get_response(request)
        if request.method == "OPTIONS" and "access-control-request-method" in request.headers:
            return limit_unauthenticated(request, self.get_response)  # CORS preflight
        response = self.get_response(request)
        if response.status_code == 401 and "HTTP_AUTHORIZATION" in request.META:
            usage = unauthenticated_usage(request)  # refused credentials count afterwards: no token lookup saved,
            if usage is None:  # but good tokens never touch this counter, so a flood cannot starve them
                return too_many(0, int(time.time()) + settings.RATE_LIMIT_WINDOW_SECONDS)
            reset = int(time.time()) + max(0, usage["time_left"])
            if usage["should_limit"]:
                return too_many(usage["limit"], reset)
            set_headers(response, usage["limit"], usage["limit"] - usage["count"], reset)
        return response


class RateLimit:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_api(request):
            return self.get_response(request)
        decision = getattr(request, "ssws", None)
        if decision is None and not getattr(request.user, "is_authenticated", False):
            return limit_unauthenticated(request, self.get_response)
        if is_outside(decision):
            return refuse_outside(request, decision)
        group = groups.group_for(request.path_info)
        org_limit = policy.group_limit(group)
        accepted = isinstance(decision, auth.Accepted)
        try:
            # A snapshot's epoch is checked in the same round trip; a decision read from the database
            # announces the durable epoch it read with the token (docs/decisions/21).
            limits = self.limits(request, org_limit)
            outcome = self.count(request, group, limits, decision if accepted else None)
            if outcome is counters.STALE:  # the token snapshot is out of date: decide again, count once
                decision = self.recheck(request, decision)
                if decision.token is None:
                    return auth.refusal_response(decision)  # 401: no bucket (UnauthenticatedLimit counts it)
                if is_outside(decision):
                    return refuse_outside(request, decision)
                limits = self.limits(request, org_limit)  # the token as read now, its owner's share included
                outcome = self.count(request, group, limits, decision if isinstance(decision, auth.Accepted) else None)
        except counters.StoreUnavailable:
            store_unavailable(request)
            # Fail open (availability beats a limit we cannot count), but never on an unchecked snapshot.
            if accepted and decision.source is auth.Source.SNAPSHOT:
                decision = self.recheck(request, decision)
            if isinstance(decision, auth.Refused):
                return auth.refusal_response(decision)
            return self.get_response(request)
        record_events(request, outcome, group, limits, request.api_token or request.user)
        buckets = [
            (limits.caller, limits.caller - outcome.caller_count),
            (limits.owner, limits.owner - outcome.owner_count),
            (limits.org, limits.org - outcome.org_count),
        ]
        limit, remaining = min(buckets, key=lambda b: b[1])  # the bucket closest to its limit
        if any(left < 0 for _, left in buckets):
            return too_many(limit, outcome.reset)
        # An agent's token refused with 403 is still counted (that refusal is its use, see auth.renews), and
        # its refusal carries the same headers as any other API response.
        if isinstance(decision, auth.Refused):
            return set_headers(auth.refusal_response(decision), limit, remaining, outcome.reset)
        return set_headers(self.get_response(request), limit, remaining, outcome.reset)

    @staticmethod
    def recheck(request: HttpRequest, decision: auth.Decision) -> auth.Decision:
        decision = auth.recheck(decision, client_ip(request))
        auth.attach(request, decision)
        return decision

    @staticmethod
    def limits(request: HttpRequest, org_limit: int) -> counters.Limits:
        """The caller's, its owner's and the org's bucket sizes. A token carries its owner's largest share,
        read with it (tokens/auth.py find_token, kept in its snapshot); a session reads it (one small query)."""
        token = request.api_token
        if token is not None:
            caller_percent, largest = token.rate_limit_percent, token.owner_largest_share
        else:
            caller_percent, largest = settings.RATE_LIMIT_SESSION_PERCENT, largest_share(request.user)
        return counters.Limits(
            policy.share(org_limit, caller_percent), policy.share(org_limit, policy.owner_percent(largest)), org_limit
        )

    @staticmethod
    def count(request: HttpRequest, group: str, limits: counters.Limits, accepted: auth.Accepted | None = None):
        token = request.api_token
        caller = token.id if token is not None else f"user:{request.user.pk}"
        from_snapshot = accepted is not None and accepted.source is auth.Source.SNAPSHOT
        usage = None
        # An API token's request is counted in its usage too (docs/decisions/34), summarised when renewal is due;
        # an OAuth app's caller (docs/decisions/24) has no usage record and no renewal.
        if isinstance(token, ApiToken):
            agent = request.META.get("HTTP_USER_AGENT", "")
            usage = counters.Usage(token.id, client_ip(request) or "unknown", agent, auth.renewal_due(token))
        outcome = counters.hit(
            group,
            caller,
            str(request.user.pk),
            limits,
            epoch=accepted.epoch if from_snapshot else None,
            announce=accepted.epoch if accepted is not None and not from_snapshot else None,
            usage=usage,
        )
        if outcome is not counters.STALE and outcome.usage is not None:
            request.token_usage = outcome.usage  # written with the renewal (tokens/middleware.py)
        return outcome


def is_outside(decision: auth.Decision | None) -> bool:
    return isinstance(decision, auth.Refused) and decision.reason is auth.Reason.OUTSIDE


def refuse_outside(request: HttpRequest, decision: auth.Refused) -> HttpResponse:
    """A request from outside its token's zones: counted per address like refused credentials, never in the
    token's, its owner's or the org's bucket, so a stolen network-restricted token cannot lock its owner out."""
    response = auth.refusal_response(decision)
    usage = unauthenticated_usage(request)
    if usage is None:  # the counter store is down: the request is refused anyway
        return response
    reset = int(time.time()) + max(0, usage["time_left"])
    if usage["should_limit"]:
        return too_many(usage["limit"], reset)
    return set_headers(response, usage["limit"], usage["limit"] - usage["count"], reset)


def record_events(request, outcome: counters.Outcome, group: str, limits: counters.Limits, party):
    """Warning/violation events; the counters script says which are first in their window."""
    owner = request.user
    for bucket, warned, violated, limit, targets in (
        ("caller", outcome.caller_warning, outcome.caller_violation, limits.caller, [party]),
        ("owner", outcome.owner_warning, outcome.owner_violation, limits.owner, [owner]),
        ("org", outcome.org_warning, outcome.org_violation, limits.org, []),
    ):
        debug = {
            "rateLimitGroup": group,
            "rateLimitBucket": bucket,
            "rateLimit": limit,
            "rateLimitWindowEnd": outcome.reset,
        }
        if violated:
            record(
                "system.org.rate_limit.violation",
                request=request,
                targets=targets,
                outcome=Outcome.DENY,
                reason=f"{bucket} bucket over {limit} requests per window for {group}",
                debug=debug,
            )
        elif warned:
            record(
                "system.org.rate_limit.warning",
                request=request,
                targets=targets,
                reason=f"{bucket} bucket reached {settings.RATE_LIMIT_WARNING_PERCENT}% of {limit} for {group}",
                debug=debug,
            )


def store_unavailable(request) -> None:
    """One warning event a minute per process (each process keeps its own clock)."""
    now = time.monotonic()
    if now - _last_store_warning["at"] < STORE_WARNING_EVERY:
        return
    _last_store_warning["at"] = now
    log.warning("rate-limit counters unavailable; admitting SSWS requests")
    try:
        record(
            "system.rate_limit.store_unavailable",
            request=request,
            reason="Rate-limit counter store unreachable; API requests admitted uncounted",
        )
    except Exception:
        log.exception("could not record store_unavailable")
