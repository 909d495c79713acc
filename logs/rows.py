"""Events as the System Log page shows them: one line each (time, actor, message, targets, outcome,
client address) that opens in place onto Actor, Event, Targets (change details as from → to), Client,
Request and Transaction, Debug context and the raw JSON.

Links lead to the objects an event names while they still exist: one query per kind of object for the
whole page (never one per event), so a deleted zone or a revoked-and-removed token shows as plain text.

The one-line summary is prepared here as display strings (times formatted, targets joined, URLs reversed):
the list prints fifty of them, and template filters and lookups per row cost more than the queries. The
expanded body is rendered only for the row opened (logs/views.log_event_body)."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode
from uuid import UUID
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import dateformat

from accounts.models import User
from origins.models import TrustedOrigin
from ratelimits.models import RateLimitException
from syslog.models import LogEvent
from tokens.models import Agent, ApiToken
from zones.models import NetworkZone

# Party type -> (model, URL of one object or of its list)
OBJECTS = {
    "User": (User, lambda pk: reverse("accounts:person", args=[pk])),
    "Token": (ApiToken, lambda pk: reverse("tokens:detail", args=[pk])),
    "NetworkZone": (NetworkZone, lambda pk: reverse("zones:edit", args=[pk])),
    "TrustedOrigin": (TrustedOrigin, lambda pk: reverse("origins:edit", args=[pk])),
    "Agent": (Agent, lambda pk: reverse("tokens:agents")),
    "RateLimitException": (RateLimitException, lambda pk: reverse("ratelimits:overview")),
}


@dataclass
class Party:
    data: dict
    url: str | None

    @property
    def label(self) -> str:
        return self.data.get("displayName") or self.data.get("alternateId") or self.data.get("id") or "—"

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(attribute, from, to) of Okta's changeDetails `{from: {attr: v}, to: {attr: v}}`."""
        details = self.data.get("changeDetails") or {}
        before, after = details.get("from") or {}, details.get("to") or {}
        return [(name, before.get(name), after.get(name)) for name in dict.fromkeys([*before, *after])]


@dataclass
class Row:
    event: LogEvent
    published: datetime  # in the viewer's time zone
    actor: Party
    targets: list[Party]
    token_url: str | None  # the API token the request used, when it still exists
    # the summary line, ready to print
    published_iso: str  # in UTC, for <time datetime>
    published_utc: str  # to the microsecond, shown on hover
    published_short: str  # in the viewer's time zone
    targets_label: str  # "" when the event has no targets
    detail_url: str  # the event's own page (the body's place without JavaScript)
    body_url: str  # the expanded body, fetched when the row opens

    @property
    def data(self) -> dict:
        return self.event.data

    @property
    def debug(self) -> list[tuple[str, object]]:
        return sorted(((self.data.get("debugContext") or {}).get("debugData") or {}).items())

    @property
    def raw(self) -> str:
        return json.dumps(self.data, indent=2)


def _existing(parties: list[dict]) -> dict[tuple[str, str], str]:
    """(type, id) -> URL, for the parties whose object still exists."""
    wanted: dict[str, set[str]] = {}
    for party in parties:
        if party.get("type") in OBJECTS and party.get("id"):
            wanted.setdefault(party["type"], set()).add(str(party["id"]))
    urls = {}
    for kind, ids in wanted.items():
        model, url = OBJECTS[kind]
        for pk in model.objects.filter(pk__in=ids).values_list("pk", flat=True):
            urls[(kind, str(pk))] = url(pk)
    return urls


def _event_urls(tz: ZoneInfo) -> Callable[[UUID], tuple[str, str]]:
    """uuid -> (the event's page, its body in `tz`). reverse() costs tens of microseconds, twice a row: each
    URL is reversed once for the page and the row's uuid put in the placeholder's place."""
    placeholder = str(UUID(int=0))
    detail, body = (reverse(name, args=[placeholder]) for name in ("logs:detail", "logs:event_body"))
    in_zone = urlencode({"tz": tz.key})

    def urls(uuid: UUID) -> tuple[str, str]:
        return detail.replace(placeholder, str(uuid)), f"{body.replace(placeholder, str(uuid))}?{in_zone}"

    return urls


def rows(events: list[LogEvent], tz: ZoneInfo) -> list[Row]:
    parties = []
    for event in events:
        token_id = event.request_api_token_id
        parties += [event.data["actor"], *(event.data.get("target") or [])]
        if token_id:
            parties.append({"type": "Token", "id": token_id})
    urls = _existing(parties)

    def party(data: dict) -> Party:
        return Party(data, urls.get((data.get("type"), str(data.get("id")))))

    event_urls = _event_urls(tz)

    def row(event: LogEvent) -> Row:
        published, targets = event.published.astimezone(tz), [party(t) for t in event.data.get("target") or []]
        utc = event.published.astimezone(UTC)
        detail_url, body_url = event_urls(event.uuid)
        return Row(
            event=event,
            published=published,
            actor=party(event.data["actor"]),
            targets=targets,
            token_url=urls.get(("Token", event.request_api_token_id or "")),
            published_iso=utc.isoformat(),
            published_utc=utc.strftime("%Y-%m-%d %H:%M:%S.%f UTC"),
            published_short=dateformat.format(published, "M j, H:i:s"),
            targets_label=", ".join(target.label for target in targets),
            detail_url=detail_url,
            body_url=body_url,
        )

    return [row(event) for event in events]
