"""Every event type of the System Log catalogue parses in the official okta Python SDK
(issue 14): for each type, the action that records it (tests/sdk_python/event_actions.py)
makes a real event, which is fetched through GET /api/v1/logs, checked against Okta's
schema (tests/okta_schema.py), parsed by `okta.models.LogEvent`, and its target and
`changeDetails` compared with the change made. A catalogued type without an action
fails here; so does an action whose type left the catalogue."""

import json
from urllib.parse import urlencode

import pytest
from django.test import Client
from okta.models import LogEvent

from accounts.roles import RoleType
from tests.accounts.factories import UserFactory
from tests.okta_schema import assert_okta_conforms
from tests.sdk_python.event_actions import EVENT_ACTIONS, World, catalogued_event_types
from tests.tokens.factories import issue_token, ssws

pytestmark = pytest.mark.django_db


def test_every_catalogued_event_type_has_an_action():
    assert sorted(set(catalogued_event_types()) - set(EVENT_ACTIONS)) == []
    assert sorted(set(EVENT_ACTIONS) - set(catalogued_event_types())) == []


def _newest(event_type: str, token: str) -> dict:
    query = urlencode({"filter": f'eventType eq "{event_type}"', "sortOrder": "DESCENDING", "limit": 1})
    response = Client().get(f"/api/v1/logs?{query}", **ssws(token))
    assert response.status_code == 200, response.content
    assert_okta_conforms(response, "GET", "/api/v1/logs")
    events = json.loads(response.content)
    assert events, f"the action recorded no {event_type} event"
    return events[0]


@pytest.mark.parametrize("event_type", catalogued_event_types())
def test_a_real_event_of_each_type_parses_in_the_okta_sdk(event_type):
    admin = UserFactory(login="harness@warden.test", roles=[RoleType.SUPER_ADMIN])
    world = World(admin=admin, token=issue_token(owner=admin, name="harness", rate_limit_percent=100)[1])
    made = EVENT_ACTIONS[event_type](world)
    raw = _newest(event_type, world.token)
    event = LogEvent.from_dict(raw)
    assert event is not None and event.event_type == event_type and event.uuid == raw["uuid"]
    assert event.version == "0" and event.published is not None
    targets = {t.id: t for t in event.target or ()}
    if made.target_id is not None:
        assert made.target_id in targets, (made.target_id, list(targets))
    if made.changes is not None:
        details = targets[made.target_id].change_details
        assert details is not None, f"no changeDetails: {raw['target']}"
        for side in ("from", "to"):
            got = getattr(details, "var_from" if side == "from" else "to") or {}
            for attribute, value in made.changes[side].items():
                assert got.get(attribute) == value, (side, attribute, got, raw["target"])
