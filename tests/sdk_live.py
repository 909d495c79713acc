"""A live Warden for the official Okta SDK suites (issue 14): gunicorn on
PostgreSQL and Redis, the production shape, serving an organisation seeded
here for the SDKs to read and change.

Both suites use it: `tests/sdk_node/` (the Node.js SDK, driven by `node --test`)
and `tests/sdk_python/` (the okta Python SDK). The seed is made in the test's
own database (a `transaction=True` test, so gunicorn sees it committed) and
handed to the clients as one JSON object (`Seed.as_json()`): ids, token values
and the bounds of the System Log windows the paging tests read.

The gunicorn instance gets rate limits small enough that a 429 is easy to
provoke and short enough to wait out: a 2-second window (`RATE_LIMIT_WINDOW_SECONDS`),
300 requests per window per group, and one token with a 1 % share (3 requests
per window). An SDK waits `X-Rate-Limit-Reset` - `Date` + 1 s, so at most about
3 seconds per retry."""

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.roles import RoleType
from api.http import okta_time
from bench.server import bench_env
from syslog.events import record
from tests.accounts.factories import UserFactory
from tests.origins.factories import OriginFactory
from tests.tokens.factories import issue_token
from tests.zones.factories import DynamicZoneFactory, ZoneFactory, cidr
from tokens import services as token_services
from tokens.models import Agent, AgentType, ApiToken, TokenStatus

RATE_LIMIT_ENV = {"RATE_LIMIT_WINDOW_SECONDS": "2", "RATE_LIMIT_DEFAULT": "300", "RATE_LIMIT_LOGS": "300"}
THROTTLED_SHARE = 1  # percent: max(1, 300 * 1 // 100) = 3 requests per 2-second window

# The System Log windows the paging tests read, an hour ago so nothing the suites do falls inside.
DISTINCT_EVENTS = 23  # on whole milliseconds, one apart: a millisecond cursor cannot repeat them
SAME_MS_EVENTS = 60  # in groups of 6 microseconds apart within one millisecond (issue 14: cursor precision)
SAME_MS_GROUP = 6


def require_live() -> None:
    """Skip unless PostgreSQL and Redis are configured; in CI (.ci/run sets the WARDEN_REQUIRE_* flags) fail."""
    if connection.vendor == "postgresql" and os.environ.get("REDIS_URL"):
        return
    message = "LIVE SDK TESTS NOT RUN: they need DATABASE_URL (PostgreSQL) and REDIS_URL, as .ci/run sets"
    if "1" in (os.environ.get("WARDEN_REQUIRE_NODE_SDK"), os.environ.get("WARDEN_REQUIRE_BROWSER")):
        pytest.fail(message)
    pytest.skip(message)


def live_env(**extra: str) -> dict[str, str]:
    """The environment of a gunicorn serving this test's database, with the small rate limits above."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    # The same cache prefix as this process, so a change made here is announced to the server too.
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    return bench_env(
        DATABASE_URL=url,
        REDIS_URL=os.environ["REDIS_URL"],
        CACHE_KEY_PREFIX=prefix,
        ZONE_INDEX_CHECK_SECONDS="0",
        # The test process and gunicorn share the OAuth signing keys in the database: one key-encryption key.
        OAUTH_KEY_ENCRYPTION_KEY=settings.OAUTH_KEY_ENCRYPTION_KEY,
        **RATE_LIMIT_ENV,
        **extra,
    )


@dataclass
class Window:
    since: str
    until: str
    event_type: str
    count: int


@dataclass
class Seed:
    owner_id: str
    token: str  # the super admin's token the suites act with (100 % share)
    token_id: str
    throttled_token: str  # same owner, 1 % share: 429 after 3 requests in a window
    current_token: str  # revoked by the suite through DELETE /api/v1/api-tokens/current
    current_token_id: str
    revoke_token_id: str  # revoked by the suite through DELETE /api/v1/api-tokens/{id}
    agent_token_id: str  # an LDAP agent's token, owned by the super admin who activated it
    other_owner_token_id: str  # a read-only admin's token, visible to the super admin
    policy_zone_id: str  # an IP POLICY zone for network conditions (loopback)
    dynamic_zone_id: str
    origin_id: str
    token_ids: list[str] = field(default_factory=list)  # every active token
    distinct: Window | None = None
    same_millisecond: Window | None = None

    def as_json(self) -> str:
        return json.dumps(asdict(self))


def _window(event_type: str, count: int, group: int, actor, target) -> Window:
    """`count` events of `event_type`: one per whole millisecond when `group` is 1, else `group`
    per millisecond, microseconds apart, as busy real traffic has them."""
    start = (timezone.now() - timedelta(hours=1)).replace(microsecond=0)
    micros = [0] if group == 1 else [10 * k + 1 for k in range(group)]
    published = [start + timedelta(milliseconds=i // group, microseconds=micros[i % group]) for i in range(count)]
    for when in published:
        record(event_type, actor=actor, targets=[target], published=when)
    return Window(
        since=okta_time(start),
        until=okta_time(published[-1] + timedelta(milliseconds=1)),
        event_type=event_type,
        count=count,
    )


def seed_org() -> Seed:
    owner = UserFactory(login="sdk@warden.test", roles=[RoleType.SUPER_ADMIN])
    reader = UserFactory(login="reader@warden.test", roles=[RoleType.READ_ONLY_ADMIN])
    policy = ZoneFactory(name="SDK loopback", gateways=[cidr("127.0.0.0/8")])
    # No asns or locations: okta-python 3.4 cannot read them (CONTRACT.md §3.6), nor list a zone that has them.
    dynamic = DynamicZoneFactory(name="SDK dynamic", locations=None)
    origin = OriginFactory(name="SDK origin", origin="https://sdk.example.com")
    main, value = issue_token(owner=owner, name="sdk main", rate_limit_percent=100)
    _, throttled = issue_token(owner=owner, name="sdk throttled", rate_limit_percent=THROTTLED_SHARE)
    current, current_value = issue_token(owner=owner, name="sdk current")
    doomed, _ = issue_token(owner=owner, name="sdk revoke me")
    other, _ = issue_token(owner=reader, name="reader token")
    agent = Agent.objects.create(type=AgentType.LDAP, name="SDK LDAP agent", host="ldap.warden.test")
    token_services.agent_activate(agent=agent, by=owner)
    agent_token = agent.tokens.get()
    ids = list(ApiToken.objects.filter(status=TokenStatus.ACTIVE).values_list("id", flat=True))
    return Seed(
        owner_id=owner.id,
        token=value,
        token_id=main.id,
        throttled_token=throttled,
        current_token=current_value,
        current_token_id=current.id,
        revoke_token_id=doomed.id,
        agent_token_id=agent_token.id,
        other_owner_token_id=other.id,
        policy_zone_id=policy.id,
        dynamic_zone_id=dynamic.id,
        origin_id=origin.id,
        token_ids=ids,
        distinct=_window("zone.update", DISTINCT_EVENTS, 1, owner, policy),
        same_millisecond=_window("security.trusted_origin.update", SAME_MS_EVENTS, SAME_MS_GROUP, owner, origin),
    )
