"""Events as the System Log page shows them: one line each (time, actor, message, targets, outcome,
client address) that opens in place onto Actor, Event, Targets (change details as from → to), Client,
Request and Transaction, Debug context and the raw JSON.

Links lead to the objects an event names while they still exist: one query per kind of object for the
whole page (never one per event), so a deleted zone or a revoked-and-removed token shows as plain text."""

import json
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

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

    return [
        Row(
            event=event,
            published=event.published.astimezone(tz),
            actor=party(event.data["actor"]),
            targets=[party(t) for t in event.data.get("target") or []],
            token_url=urls.get(("Token", event.request_api_token_id or "")),
        )
        for event in events
    ]
