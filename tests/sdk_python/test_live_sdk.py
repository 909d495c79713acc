"""The official okta Python SDK (3.4.x) against a live gunicorn Warden, the same
coverage as the Node suite (tests/sdk_node/): API tokens (list, get, upsert,
revoke, revoke current), network zones of each kind (create, list with `next`
links, get, replace, activate/deactivate with no body, delete), trusted origins
(CRUD and lifecycle), System Log collections that follow `next` links with
`since`, `until`, `filter` and `limit`, and a 429 the SDK waits out and retries.

One gunicorn serves the module (tests/sdk_live.py gives it small rate limits);
each test seeds its own organisation in the flushed test database."""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from bench.server import gunicorn
from tests.sdk_live import live_env, require_live, seed_org

okta_client = pytest.importorskip("okta.client")
from okta.models import ApiTokenUpdate, NetworkZone, TrustedOrigin, TrustedOriginWrite  # noqa: E402
from okta.pagination import PaginationHelper  # noqa: E402

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        require_live()
        env = live_env()
    with gunicorn(workers=2, env=env) as base:
        yield base


@pytest.fixture
def org(server, monkeypatch):
    monkeypatch.setenv("OKTA_TESTING_TESTINGDISABLEHTTPSCHECK", "true")
    return server, seed_org()


def client(base: str, token: str, retries: int = 0):
    return okta_client.Client({"orgUrl": base, "token": token, "rateLimit": {"maxRetries": retries}})


def run(scenario):
    """A thread of its own: Playwright's sync API may have left an event loop in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, scenario).result()


def next_cursor(response) -> str | None:
    """The `after` of the `next` link, the SDK's own way of paging (okta.pagination)."""
    return PaginationHelper.extract_next_cursor(dict(response.headers or {}))


async def every_page(call, **params) -> list:
    """Every item of a collection, following `next` links (at most 100 pages: a looping cursor fails)."""
    items, response, error = await call(**params)
    assert error is None, error
    for _ in range(100):
        cursor = next_cursor(response)
        if cursor is None:
            return items
        more, response, error = await call(**params, after=cursor)
        assert error is None, error
        items += more
    raise AssertionError("more than 100 pages: the cursor does not advance")


def error_code(error) -> str:
    return getattr(error, "error_code", None) or str(error)


def test_api_tokens_list_get_upsert_revoke(org):
    base, seed = org

    async def scenario():
        sdk = client(base, seed.token)
        tokens = await every_page(sdk.list_api_tokens)
        assert {t.id for t in tokens} == set(seed.token_ids)
        token, _, error = await sdk.get_api_token(seed.token_id)
        assert error is None, error
        assert (token.name, token.user_id, token.client_name, token.token_window) == (
            "sdk main",
            seed.owner_id,
            "Okta API",
            "P30D",
        )
        assert token.network.connection == "ANYWHERE"
        assert timedelta(days=29) < token.expires_at - datetime.now(UTC) <= timedelta(days=30)
        agent, _, error = await sdk.get_api_token(seed.agent_token_id)
        assert error is None, error
        assert (agent.client_name, agent.user_id) == ("Okta LDAP Agent", seed.owner_id)
        zoned = ApiTokenUpdate.from_dict(
            {
                "name": "sdk revoke me",
                "userId": seed.owner_id,
                "network": {"connection": "ZONE", "include": [seed.policy_zone_id]},
            }
        )
        updated, _, error = await sdk.upsert_api_token(seed.revoke_token_id, zoned)
        assert error is None, error
        assert (updated.network.connection, updated.network.include) == ("ZONE", [seed.policy_zone_id])
        unknown = ApiTokenUpdate.from_dict(
            {"name": "x", "network": {"connection": "ZONE", "include": ["nzo00000000000000000"]}}
        )
        _, _, error = await sdk.upsert_api_token(seed.revoke_token_id, unknown)
        assert "E0000001" in error_code(error)
        _, _, error = await sdk.revoke_api_token(seed.revoke_token_id)
        assert error is None, error
        _, _, error = await sdk.get_api_token(seed.revoke_token_id)
        assert "E0000007" in error_code(error)
        own = client(base, seed.current_token)
        _, _, error = await own.revoke_current_api_token()
        assert error is None, error
        _, _, error = await own.get_api_token(seed.token_id)
        assert "E0000011" in error_code(error)

    run(scenario())


def test_an_agent_token_has_a_real_expiry(org):
    base, seed = org

    async def scenario():
        token, _, error = await client(base, seed.token).get_api_token(seed.agent_token_id)
        assert error is None, error
        assert token.expires_at is not None and token.expires_at > datetime.now(UTC)

    run(scenario())


def test_upsert_without_network_is_refused_and_changes_nothing(org):
    base, seed = org

    async def scenario():
        sdk = client(base, seed.token)
        zoned = ApiTokenUpdate.from_dict(
            {"name": "t", "network": {"connection": "ZONE", "include": [seed.policy_zone_id]}}
        )
        _, _, error = await sdk.upsert_api_token(seed.revoke_token_id, zoned)
        assert error is None, error
        _, _, error = await sdk.upsert_api_token(seed.revoke_token_id, ApiTokenUpdate.from_dict({"name": "t"}))
        assert error is not None and "E0000001" in error_code(error)
        token, _, _ = await sdk.get_api_token(seed.revoke_token_id)
        assert token.network.include == [seed.policy_zone_id]

    run(scenario())


ZONES = [
    {
        "type": "IP",
        "name": "py ip",
        "usage": "POLICY",
        "gateways": [{"type": "CIDR", "value": "10.20.0.0/16"}],
        "proxies": [{"type": "RANGE", "value": "10.40.0.1-10.40.0.9"}],
    },
    {
        "type": "IP",
        "name": "py blocklist",
        "usage": "BLOCKLIST",
        "gateways": [{"type": "CIDR", "value": "192.0.2.0/24"}],
    },
    # okta-python models DYNAMIC `asns`/`locations` as objects and refuses Okta's arrays (CONTRACT.md §3.6),
    # so its DYNAMIC zone carries neither.
    {"type": "DYNAMIC", "name": "py dynamic", "usage": "POLICY", "proxyType": "Any"},
]


def test_network_zones_of_each_kind_through_their_lifecycle(org):
    base, seed = org

    async def scenario():
        sdk = client(base, seed.token)
        for body in ZONES:
            zone, _, error = await sdk.create_network_zone(NetworkZone.from_dict(body))
            assert error is None, error
            assert (zone.type, zone.name, zone.status, zone.usage) == (
                body["type"],
                body["name"],
                "ACTIVE",
                body["usage"],
            )
            fetched, _, error = await sdk.get_network_zone(zone.id)
            assert error is None and fetched.name == body["name"], error
            replaced, _, error = await sdk.replace_network_zone(
                zone.id, NetworkZone.from_dict({**body, "name": body["name"] + " renamed"})
            )
            assert error is None and replaced.name == body["name"] + " renamed", error
            deactivated, _, error = await sdk.deactivate_network_zone(zone.id)
            assert error is None and deactivated.status == "INACTIVE", error
            activated, _, error = await sdk.activate_network_zone(zone.id)
            assert error is None and activated.status == "ACTIVE", error
            await sdk.deactivate_network_zone(zone.id)
            _, _, error = await sdk.delete_network_zone(zone.id)
            assert error is None, error
            _, _, error = await sdk.get_network_zone(zone.id)
            assert "E0000007" in error_code(error)
        everything = await every_page(sdk.list_network_zones, limit=200)
        paged = await every_page(sdk.list_network_zones, limit=1)
        assert [z.id for z in paged] == [z.id for z in everything]
        assert {seed.policy_zone_id, seed.dynamic_zone_id} <= {z.id for z in everything}
        policy = await every_page(sdk.list_network_zones, filter='usage eq "POLICY"')
        assert {z.usage for z in policy} == {"POLICY"}

    run(scenario())


def test_trusted_origins_crud_and_lifecycle(org):
    base, seed = org

    async def scenario():
        sdk = client(base, seed.token)
        body = {"name": "py origin", "origin": "https://py.example.com", "scopes": [{"type": "CORS"}]}
        created, _, error = await sdk.create_trusted_origin(TrustedOriginWrite.from_dict(body))
        assert error is None, error
        assert (created.status, created.created_by) == ("ACTIVE", seed.owner_id)
        fetched, _, error = await sdk.get_trusted_origin(created.id)
        assert error is None and fetched.origin == "https://py.example.com", error
        replaced, _, error = await sdk.replace_trusted_origin(
            created.id,
            TrustedOrigin.from_dict(
                {**body, "name": "py origin renamed", "scopes": [{"type": "CORS"}, {"type": "REDIRECT"}]}
            ),
        )
        assert error is None and [s.type for s in replaced.scopes] == ["CORS", "REDIRECT"], error
        deactivated, _, error = await sdk.deactivate_trusted_origin(created.id)
        assert error is None and deactivated.status == "INACTIVE", error
        activated, _, error = await sdk.activate_trusted_origin(created.id)
        assert error is None and activated.status == "ACTIVE", error
        everything = await every_page(sdk.list_trusted_origins, limit=200)
        paged = await every_page(sdk.list_trusted_origins, limit=1)
        assert [o.id for o in paged] == [o.id for o in everything] and len(everything) == 2
        searched = await every_page(sdk.list_trusted_origins, q="py origin")
        assert [o.id for o in searched] == [created.id]
        _, _, error = await sdk.delete_trusted_origin(created.id)
        assert error is None, error
        _, _, error = await sdk.get_trusted_origin(created.id)
        assert "E0000007" in error_code(error)

    run(scenario())


async def bounded(sdk, window, **params) -> list:
    return await every_page(
        sdk.list_log_events,
        since=window.since,
        until=window.until,
        filter=f'eventType eq "{window.event_type}"',
        **params,
    )


def test_system_log_collections_follow_next_links(org):
    base, seed = org

    async def scenario():
        sdk = client(base, seed.token)
        window = seed.distinct
        page = await bounded(sdk, window, limit=1000)
        assert len(page) == window.count
        assert [e.uuid for e in await bounded(sdk, window, limit=3)] == [e.uuid for e in page]
        descending = await bounded(sdk, window, limit=4, sort_order="DESCENDING")
        assert [e.uuid for e in descending] == [e.uuid for e in reversed(page)]
        event = page[0]
        assert (event.event_type, event.version, event.actor.id) == ("zone.update", "0", seed.owner_id)
        assert event.target[0].id == seed.policy_zone_id
        # Polling (no until): next is always there; an empty page means caught up.
        polling = {
            "since": window.since,
            "limit": 5,
            "filter": f'eventType eq "zone.update" and target.id eq "{seed.policy_zone_id}"',
        }
        events, response, error = await sdk.list_log_events(**polling)
        assert error is None, error
        while next_cursor(response) and len(events) <= 2 * window.count:
            more, response, error = await sdk.list_log_events(**polling, after=next_cursor(response))
            assert error is None, error
            if not more:
                break
            events += more
        assert [e.uuid for e in events] == [e.uuid for e in page]

    run(scenario())


def test_system_log_bounded_paging_over_shared_milliseconds_repeats_nothing(org):
    base, seed = org

    async def scenario():
        sdk = client(base, seed.token)
        window = seed.same_millisecond
        page = await bounded(sdk, window, limit=1000)
        assert len(page) == window.count
        assert [e.uuid for e in await bounded(sdk, window, limit=5)] == [e.uuid for e in page]

    run(scenario())


def test_a_429_is_waited_out_and_retried(org):
    base, seed = org

    async def scenario():
        plain = client(base, seed.throttled_token)
        codes = []
        for _ in range(8):
            _, response, error = await plain.get_api_token(seed.token_id)
            codes.append(getattr(response, "status", None) if error is None else error_code(error))
            if error is not None:
                break
        assert "E0000047" in codes[-1], codes
        patient = client(base, seed.throttled_token, retries=3)
        started = time.monotonic()
        for _ in range(5):  # 3 per window: at least one 429, each waited out (reset - Date + 1 s)
            token, _, error = await patient.get_api_token(seed.token_id)
            assert error is None, error
            assert token.id == seed.token_id
        return time.monotonic() - started

    elapsed = run(scenario())
    assert 1 < elapsed < 12, elapsed
