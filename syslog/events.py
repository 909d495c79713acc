"""`record()`: the one way an event enters the System Log.

Call it inside the transaction of the change it describes, so the event and
the change commit or roll back together. The request (when there is one)
supplies the transaction id (`X-Okta-Request-Id`), the client IP and user
agent, and the SSWS token that made the call; without a request the event is
a JOB by the system actor (management commands)."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from api.http import okta_time
from api.middleware import client_ip
from syslog import counts
from syslog.catalog import EVENT_TYPES
from syslog.models import LogEvent, LogEventTarget
from syslog.outcomes import Outcome


@dataclass(frozen=True)
class Party:
    """An actor or a target: Okta's `{id, type, alternateId, displayName, detailEntry}`."""

    id: str
    type: str
    alternate_id: str | None = None
    display_name: str | None = None
    detail_entry: dict | None = None
    change_details: dict | None = field(default=None, compare=False)

    def with_changes(self, **changes: tuple) -> "Party":
        """This party as a changed target, each keyword an attribute and its (old, new) values, in Okta's
        changeDetails shape `{"from": {attribute: old, ...}, "to": {attribute: new, ...}}` (the one the
        official SDKs parse; a bare `{"from": "ACTIVE"}` makes okta-python reject the whole list)."""
        if not changes:
            return self
        return replace(
            self,
            change_details={
                "from": {attribute: old for attribute, (old, _) in changes.items()},
                "to": {attribute: new for attribute, (_, new) in changes.items()},
            },
        )

    def to_okta(self, *, with_changes: bool = False) -> dict:
        body = {
            "id": self.id,
            "type": self.type,
            "alternateId": self.alternate_id,
            "displayName": self.display_name,
            "detailEntry": self.detail_entry,
        }
        if with_changes:
            body["changeDetails"] = self.change_details
        return body


SYSTEM_ACTOR = Party(
    id="0oa000000000system00", type="SystemPrincipal", alternate_id="system@warden", display_name="Warden system"
)


def as_party(thing) -> Party:
    """Accept a Party or any object with `as_log_party()` (users, tokens, zones...),
    so this low layer never imports the models it describes."""
    return thing if isinstance(thing, Party) else thing.as_log_party()


def record(
    event_type: str,
    *,
    request: HttpRequest | None = None,
    actor=None,
    targets: Sequence = (),
    outcome: Outcome = Outcome.SUCCESS,
    reason: str | None = None,
    severity: str | None = None,
    message: str | None = None,
    debug: dict | None = None,
    published: datetime | None = None,
) -> LogEvent:
    display_message, legacy_type, default_severity = EVENT_TYPES[event_type]
    try:
        outcome = Outcome(outcome).value  # the event's JSON holds plain strings
    except ValueError:
        raise ValueError(f"unknown outcome {outcome!r}") from None
    reason = (reason or None) and reason[:255]  # Okta: null or 1-255 characters, never ""
    actor_party = as_party(actor) if actor is not None else _request_actor(request)
    target_parties = [as_party(t) for t in targets]
    published = published or timezone.now()
    ip = (client_ip(request) or None) if request is not None else None
    token_id = _request_token_id(request)
    request_id = getattr(request, "okta_request_id", None) if request is not None else None
    user_agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""

    data = {
        "uuid": str(uuid.uuid4()),
        "published": okta_time(published),
        "eventType": event_type,
        "version": "0",
        "severity": severity or default_severity,
        "legacyEventType": legacy_type,
        "displayMessage": message or display_message,
        "actor": actor_party.to_okta(),
        "client": _client(request, ip, user_agent),
        "authenticationContext": {
            "authenticationProvider": None,
            "credentialProvider": None,
            "credentialType": None,
            "issuer": None,
            "interface": None,
            "authenticationStep": 0,
            "externalSessionId": None,
            "rootSessionId": None,
        },
        "outcome": {"result": outcome, "reason": reason},
        "target": [t.to_okta(with_changes=t.change_details is not None) for t in target_parties] or None,
        "transaction": {
            "type": "WEB" if request is not None else "JOB",
            "id": request_id,
            "detail": _transaction_detail(request, token_id),
        },
        "debugContext": {"debugData": _debug_data(request, request_id, debug)},
        "securityContext": {"asNumber": None, "asOrg": None, "isp": None, "domain": None, "isProxy": None},
        "request": {"ipChain": _ip_chain(ip)},
    }
    words = [
        event_type,
        data["displayMessage"],
        actor_party.alternate_id or "",
        actor_party.display_name or "",
        actor_party.id,
        ip or "",
        reason or "",
    ]
    for t in target_parties:
        words += [t.id, t.display_name or "", t.alternate_id or ""]
    with transaction.atomic():
        event = LogEvent.objects.create(
            uuid=data["uuid"],
            published=published,
            event_type=event_type,
            severity=data["severity"],
            actor_id=actor_party.id,
            client_ip=ip,
            outcome_result=outcome,
            request_api_token_id=token_id,
            transaction_id=request_id,
            search_text=" ".join(w for w in words if w).lower(),
            data=data,
        )
        LogEventTarget.objects.bulk_create(
            LogEventTarget(event_id=event.id, target_id=t.id, target_type=t.type) for t in target_parties
        )
        counts.bump(event_type, published)
    return event


# How long a count of unrecorded refusals waits for the next recorded one: keys are per
# address, and one nobody refuses again must not stay in the cache forever (issue 16.8).
SUPPRESSED_COUNT_SECONDS = 24 * 60 * 60


def record_refusal(kind: str, key: str, event_type: str, **fields) -> LogEvent | None:
    """docs/decisions/10: a refusal (outside zone, blocklist, rate limit, failed
    sign-in, refused redirect) is recorded at most once per (kind, key) per
    minute. Events are append-only, so the count cannot be added afterwards:
    each recorded event says how many refusals of the same kind and key went
    unrecorded since the previous one (`debugData.suppressedRefusals`)."""
    minute = int(timezone.now().timestamp() // 60)
    window_key = f"syslog:refusal:{kind}:{key}:{minute}"
    suppressed_key = f"syslog:refusal-suppressed:{kind}:{key}"
    try:
        first_this_minute = cache.add(window_key, 1, timeout=120)
        if not first_this_minute:
            try:
                cache.incr(suppressed_key)
            except ValueError:
                cache.set(suppressed_key, 1, timeout=SUPPRESSED_COUNT_SECONDS)
            return None
        suppressed = cache.get(suppressed_key) or 0
        if suppressed:
            cache.delete(suppressed_key)
    except Exception:  # cache down: better one event per refusal than none
        suppressed = 0
    debug = dict(fields.pop("debug", None) or {})
    debug["suppressedRefusals"] = suppressed
    return record(event_type, debug=debug, **fields)


def _request_actor(request: HttpRequest | None) -> Party:
    user = getattr(request, "user", None) if request is not None else None
    if user is not None and user.is_authenticated:
        return as_party(user)
    if request is None:
        return SYSTEM_ACTOR
    return Party(id="unknown", type="User", alternate_id="unknown", display_name="Unknown")


def _request_token_id(request: HttpRequest | None) -> str | None:
    token = getattr(request, "api_token", None) if request is not None else None
    if hasattr(token, "transaction_detail"):
        return None  # a service app's access token (oauth/bearer.py AppCaller): no API token
    return getattr(token, "id", None)


def _transaction_detail(request: HttpRequest | None, token_id: str | None) -> dict:
    """`{"requestApiTokenId": …}` for an SSWS request; a service app's request names its client id."""
    token = getattr(request, "api_token", None) if request is not None else None
    detail = getattr(token, "transaction_detail", None)
    if detail is not None:
        return dict(detail)
    return {"requestApiTokenId": token_id} if token_id else {}


def _client(request, ip, user_agent) -> dict | None:
    if request is None:
        return {
            "userAgent": None,
            "zone": None,
            "device": None,
            "id": None,
            "ipAddress": None,
            "geographicalContext": None,
        }
    return {
        # Okta's values for a user agent it does not recognise (Warden parses none), never null.
        "userAgent": {"rawUserAgent": user_agent or None, "os": "Unknown", "browser": "UNKNOWN"},
        "zone": getattr(request, "client_zone_name", None),
        "device": None,
        "id": None,
        "ipAddress": ip,
        "geographicalContext": None,
    }


def _debug_data(request, request_id, extra) -> dict:
    data = {}
    if request is not None:
        data = {"requestId": request_id, "requestUri": request.path, "url": request.path}
    data.update(extra or {})
    return data


def _ip_chain(ip: str | None) -> list:
    if not ip:
        return []
    return [{"ip": ip, "geographicalContext": None, "version": "V6" if ":" in ip else "V4", "source": None}]
