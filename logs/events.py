"""GET /api/v1/events: the System Log in Okta's deprecated v1 Events shape (read-only).

Okta's Events API (developer docs, "Events API", deprecated since 2019) is the System Log as it was
before /api/v1/logs; clients written for it still poll it. Warden answers it from the same store:

- Which events: those whose event type has a legacy type in the catalogue (syslog/catalog.py). The v1
  API knew an event only by that legacy type (`action.objectType`); the types without one (zones,
  origins, rate limits, agents, token updates, refusals) never existed there and are left out.
- The event: `eventId` is the System Log `uuid` (one id for one event in both APIs), `requestId` the
  transaction id (`X-Okta-Request-Id`), `sessionId` the external session id (null: SSWS has none);
  `action` {message, categories, objectType, requestUri}; `actors` the actor (a User has its `login`)
  and, for an event recorded during a request, a `Client` whose `id` is the user agent (Okta's
  Client objectType), with `ipAddress`; `targets` in the same denormalised form.
- `action.message` and `action.categories` (V1_ACTIONS): API token events say "API token created" /
  "API token revoked" in the category "Token lifecycle", as the seed help page gives them (the
  System Log v2 keeps Okta's catalogue wording, "Create API token"). The user events take the
  message and category of Okta's Events reference where its examples show them ("Sign-in
  successful", "Okta user created"), else the System Log's displayMessage, and a category from
  Okta's documented category list only where one names the action; otherwise `[]`, as Okta sends
  for actions without a category.
- Paging is a polling feed (docs/decisions/08, syslog.query.poll): persistence order, the settle margin,
  and a `next` link on every page, repeating every parameter and adding `after`.
- Parameters: `startDate` (default: an hour ago when `startDate`, `filter` and `after` are all
  absent, as Okta documents; else the retention window); `filter` over FIELDS; `after`; `limit`
  0..1,000, default 1,000. Okta documents `startDate` as exclusive of `filter` and of `after`; Warden
  refuses neither: `after` wins over `startDate` (its own next links repeat `startDate`, docs/decisions/08),
  and `startDate` with a `filter` means both."""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from api import filters
from syslog.catalog import EVENT_TYPES
from syslog.models import LogEvent, LogEventTarget
from syslog.query import ERRORS, RETENTION, Page, parse_time, poll, target_ids

DEFAULT_SPAN = timedelta(hours=1)
MILLISECOND = timedelta(milliseconds=1)
TOKEN_LIFECYCLE = ("Token lifecycle",)

# legacy type -> (action.message, or None for the event's displayMessage; action.categories)
V1_ACTIONS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "api.token.create": ("API token created", TOKEN_LIFECYCLE),
    "api.token.revoke": ("API token revoked", TOKEN_LIFECYCLE),
    "core.user_auth.login_success": ("Sign-in successful", ("Sign-in Success",)),
    "core.user.config.user_creation.success": ("Okta user created", ("User Creation",)),
    "core.user.config.user_deactivated": (None, ("User Deactivation",)),
    "core.user.config.user_reactivated": (None, ("User Activation",)),
}


def legacy_types() -> dict[str, list[str]]:
    """Legacy type -> the event types recorded under it (the catalogue is complete once apps are ready)."""
    types: dict[str, list[str]] = {}
    for event_type, (_message, legacy, _severity) in EVENT_TYPES.items():
        if legacy:
            types.setdefault(legacy, []).append(event_type)
    return types


def _published(operator: str, value: str) -> Q:
    """`published` as Okta shows it, to the millisecond: `gt` is after the millisecond named, `lt`
    before it, `eq` within it (stored times keep microseconds)."""
    moment = parse_time("filter", value)
    floor = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    if operator == "gt":
        return Q(published__gte=floor + MILLISECOND)
    if operator == "lt":
        return Q(published__lt=floor if floor == moment else floor + MILLISECOND)
    if floor != moment:
        return Q(pk__in=[])  # no published value shown to the millisecond equals a finer instant
    return Q(published__gte=floor, published__lt=floor + MILLISECOND)


def _object_type(operator: str, value: str) -> Q:
    return Q(event_type__in=legacy_types().get(value, []))


def _target_type(operator: str, value: str) -> Q:
    return Q(id__in=LogEventTarget.objects.filter(target_type=value).values("event_id"))


EQ = frozenset({"eq"})
# Okta's documented v1 filters (published, action.objectType, target.objectType, target.id), and actor.id.
FIELDS = {
    "published": filters.Field(_published, frozenset({"eq", "gt", "lt"})),
    "action.objectType": filters.Field(_object_type, EQ),
    "target.id": filters.Field(target_ids, EQ),
    "target.objectType": filters.Field(_target_type, EQ),
    "actor.id": filters.Field("actor_id", EQ),
}


def search(params, *, limit: int, now: datetime | None = None) -> Page:
    now = now or timezone.now()
    start = parse_time("startDate", params.get("startDate"))
    expression, after = params.get("filter"), params.get("after")
    if start is None:
        start = now - (RETENTION if expression or after else DEFAULT_SPAN)
    events = LogEvent.objects.filter(
        published__gte=now - RETENTION, event_type__in=[t for types in legacy_types().values() for t in types]
    )
    events = events.filter(filters.parse_filter(expression, FIELDS, ERRORS))
    return poll(events, start=start, after=after, limit=limit, now=now)


def _party(party: dict) -> dict:
    body = {"id": party["id"], "displayName": party.get("displayName"), "objectType": party["type"]}
    if party["type"] == "User":
        body["login"] = party.get("alternateId")
    return body


def _client(data: dict) -> list[dict]:
    """The Client actor of an event recorded during a request (none for a job's)."""
    if (data.get("transaction") or {}).get("type") != "WEB":
        return []
    client = data.get("client") or {}
    user_agent = client.get("userAgent") or {}
    return [
        {
            "id": user_agent.get("rawUserAgent") or "UNKNOWN",
            "displayName": user_agent.get("browser") or "UNKNOWN",
            "ipAddress": client.get("ipAddress"),
            "objectType": "Client",
        }
    ]


def to_v1(event: LogEvent) -> dict:
    data = event.data
    legacy = data["legacyEventType"]
    message, categories = V1_ACTIONS.get(legacy, (None, ()))
    debug = (data.get("debugContext") or {}).get("debugData") or {}
    return {
        "eventId": data["uuid"],
        "published": data["published"],
        "requestId": (data.get("transaction") or {}).get("id"),
        "sessionId": (data.get("authenticationContext") or {}).get("externalSessionId"),
        "action": {
            "message": message or data["displayMessage"],
            "categories": list(categories),
            "objectType": legacy,
            "requestUri": debug.get("requestUri"),
        },
        "actors": [_party(data["actor"]), *_client(data)],
        "targets": [_party(target) for target in data.get("target") or []],
    }
