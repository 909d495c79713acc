"""Issue 15, scenarios 4 and 5: a token expired behind the application's back is never renewed back to life,
and a PostgreSQL that hangs, restarts or is down gives bounded 503s the SDKs retry, never a hang or a 500.
PostgreSQL is reached through a TCP proxy written here (tests/faults/components.py), which pauses, drops and
refuses connections without touching the shared server."""

import json
import time
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection
from django.utils import timezone

from accounts.roles import RoleType
from tests.accounts.factories import UserFactory
from tests.faults.components import TcpProxy, call, gunicorn
from tests.faults.measure import assert_one_event_per_write, create_zone, in_parallel, report, warm
from tests.tokens.factories import issue_token
from tokens.models import ApiToken

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]
BOUND = 3.0  # seconds: the 2 s connect/statement timeouts plus what a loaded 2-core runner adds


def test_a_token_expired_outside_the_application_is_never_renewed_back_to_life(live_env):
    owner = UserFactory(roles=[RoleType.HELP_DESK_ADMIN])  # may read /users/me, may not read zones
    token, value = issue_token(owner=owner)
    with gunicorn(live_env) as base:
        # Every worker now holds a snapshot of the token, never renewed (a 403 from the view renews nothing),
        # so its first successful request renews it. Expire it by hand (raw SQL: no announcement), as an
        # operator or a script would.
        warm(base, value, "/api/v1/zones", expect=403)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE tokens_apitoken SET expires_at = %s WHERE id = %s",
                [timezone.now() - timedelta(minutes=1), token.id],
            )
        accepted = [a.status for a in in_parallel(8, lambda _: call(base, "/api/v1/users/me", value))]
        token.refresh_from_db()
        expired_in_database = token.expires_at < timezone.now()
        later = [a.status for a in in_parallel(8, lambda _: call(base, "/api/v1/users/me", value))]
    report("4 renewal of an expired token", first_statuses=accepted, later_statuses=later)
    assert expired_in_database, f"renewed back to life: expires {token.expires_at}"
    assert ApiToken.objects.get(pk=token.pk).expires_at < timezone.now()


@pytest.fixture
def proxied_env(live_env):
    url = urlsplit(live_env["DATABASE_URL"])
    proxy = TcpProxy(url.hostname, url.port or 5432)
    env = {**live_env, "DATABASE_URL": urlunsplit(url._replace(netloc=f"{url.username}@127.0.0.1:{proxy.port}"))}
    yield env, proxy
    proxy.close()


def assert_retryable_unavailable(answer) -> None:
    """503 with an Okta error body and the headers the SDKs need to wait and retry."""
    assert answer.status == 503, (answer.status, answer.body[:300])
    assert json.loads(answer.body)["errorCode"] == "E0000010"
    assert {"Retry-After", "Date", "X-Rate-Limit-Reset"} <= set(answer.headers), answer.headers


def test_a_hung_or_restarting_database_gives_bounded_503s_and_healthz_still_answers(proxied_env):
    env, proxy = proxied_env
    admin = UserFactory(roles=[RoleType.SUPER_ADMIN])
    _, value = issue_token(owner=admin, rate_limit_percent=100)
    figures = {}
    with gunicorn(env) as base:
        warm(base, value, "/api/v1/users/me")
        writes = [create_zone(base, value, "before the hang")]
        assert call(base, "/readyz").status == 200

        proxy.paused = True  # hung: connections stay open, nothing answers
        try:
            hung = in_parallel(
                4,
                lambda i: create_zone(base, value, f"during the hang {i}") if i % 2 else call(base, "/readyz"),
            )
            healthz = call(base, "/healthz")
            readyz = call(base, "/readyz")
        finally:
            proxy.paused = False
        writes += hung[1::2]
        figures["hung_seconds"] = [round(a.seconds, 2) for a in hung]
        figures["hung_statuses"] = [a.status for a in hung]
        figures["healthz_seconds"] = round(healthz.seconds, 3)
        report("5 database hung", **figures)
        for answer in hung[1::2]:
            assert answer.seconds <= BOUND, figures
            if answer.status != 200:  # a write may have committed just before the pause
                assert_retryable_unavailable(answer)
        assert healthz.status == 200 and healthz.seconds <= BOUND, figures
        assert readyz.status == 503 and readyz.seconds <= BOUND, (readyz.status, readyz.seconds)

        proxy.drop_all()  # a restart: every connection goes, and for a moment none is accepted
        proxy.refusing = True
        try:
            down = [create_zone(base, value, f"while down {i}") for i in range(4)]
        finally:
            proxy.refusing = False
        figures["down_seconds"] = [round(a.seconds, 2) for a in down]
        figures["down_statuses"] = [a.status for a in down]
        report("5 database restarted and down", **figures)
        for answer in down:
            assert answer.seconds <= BOUND, figures
            assert_retryable_unavailable(answer)
        writes += down
        back = time.monotonic()  # up again: answered within the breaker's second (DB_BREAKER_SECONDS)
        while (answer := create_zone(base, value, "after the restart")).status != 200 and time.monotonic() - back < 5:
            writes.append(answer)
            time.sleep(0.1)
        figures["recovered_seconds"] = round(time.monotonic() - back, 2)
        report("5 database back", **figures)
        after = [answer] + [create_zone(base, value, f"after the restart {i}") for i in range(3)]
        assert {a.status for a in after} == {200}, [a.body[:200] for a in after]
        writes += after
        assert call(base, "/readyz").status == 200
    assert assert_one_event_per_write(writes) >= 5
