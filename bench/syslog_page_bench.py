"""The System Log page at a million events (issue 18, figure 5).

Fills the bench database (PostgreSQL) to N events spread over 30 days — 24 event types, each event with a
target (and its target row), one type in five `system.api_token.create` so that even a day of that type
has more than 50 pages — with INSERT ... SELECT generate_series, then rebuilds the hourly counts from
the events (inside the purge's documented bypass, the one way to remove count rows). Then, in-process,
for the last 24 hours and the last 30 days, unfiltered and filtered by event type, the median of RUNS
runs of: the first page (the keyset query and the rows' presentation), page 50 (reached by following the
`after` cursors), the count and the chart (one histogram; the count is its sum), and the whole page —
first and fiftieth — through Django's test client (view, queries, template) for a signed-in super admin."""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from bench.server import bench_env, manage  # noqa: E402

for key, value in bench_env().items():
    os.environ.setdefault(key, value)

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import RoleType  # noqa: E402
from accounts.services import role_grant, user_create  # noqa: E402
from logs import search  # noqa: E402
from logs.rows import rows  # noqa: E402
from logs.views import PAGE_SIZE  # noqa: E402
from syslog.counts import histogram  # noqa: E402
from syslog.models import LogEvent  # noqa: E402
from syslog.query import cursor_of, matching, window  # noqa: E402

RUNS = 15
TYPES = [
    "system.api_token.create",
    "system.api_token.revoke",
    "system.api_token.update",
    "system.api_token.request_outside_allowed_range",
    "user.session.start",
    "user.session.end",
    "user.lifecycle.create",
    "user.lifecycle.deactivate",
    "user.lifecycle.reactivate",
    "user.account.privilege.grant",
    "user.account.privilege.revoke",
    "zone.create",
    "zone.update",
    "zone.delete",
    "zone.activate",
    "zone.deactivate",
    "security.request.blocked",
    "security.trusted_origin.create",
    "security.trusted_origin.update",
    "security.trusted_origin.delete",
    "system.org.rate_limit.warning",
    "system.org.rate_limit.violation",
    "system.agent.ad.deactivate",
    "system.agent.ad.reactivate",
]
HEAVY = TYPES[0]
FILL = """
INSERT INTO syslog_logevent (uuid, published, event_type, severity, actor_id, client_ip, outcome_result,
                             request_api_token_id, transaction_id, search_text, data)
SELECT gen_random_uuid(), t.published, t.kind, 'INFO', t.actor, '198.51.100.' || (g %% 250), 'SUCCESS', NULL,
       md5(g::text), t.kind || ' bench',
       jsonb_build_object('uuid', md5(g::text), 'published', to_char(t.published AT TIME ZONE 'UTC',
                          'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'eventType', t.kind, 'version', '0', 'severity', 'INFO',
                          'legacyEventType', NULL, 'displayMessage', 'Bench event',
                          'actor', jsonb_build_object('id', t.actor, 'type', 'User', 'alternateId', 'bench@warden.test',
                                                      'displayName', 'Bench', 'detailEntry', NULL),
                          'client', jsonb_build_object('ipAddress', '198.51.100.' || (g %% 250)),
                          'outcome', jsonb_build_object('result', 'SUCCESS', 'reason', NULL),
                          'target', jsonb_build_array(jsonb_build_object('id', t.target, 'type', 'Token',
                                                      'alternateId', 'unknown', 'displayName', 'Bench token',
                                                      'detailEntry', NULL)),
                          'transaction', jsonb_build_object('type', 'WEB', 'id', md5(g::text), 'detail', '{}'::jsonb),
                          'debugContext', jsonb_build_object('debugData', '{}'::jsonb),
                          'request', jsonb_build_object('ipChain', '[]'::jsonb))
FROM generate_series(1, %(n)s) AS g,
LATERAL (SELECT now() - interval '30 days' + (g * (interval '30 days' / %(n)s)) AS published,
                CASE WHEN g %% 5 = 0 THEN %(heavy)s ELSE (%(types)s::text[])[1 + (g / 5) %% %(count)s] END AS kind,
                '00uBench' || lpad((g %% 50)::text, 12, '0') AS actor,
                '00TBench' || lpad((g %% 500)::text, 12, '0') AS target) AS t
"""
TARGETS = """
INSERT INTO syslog_logeventtarget (event_id, target_id, target_type)
SELECT e.id, e.data->'target'->0->>'id', 'Token' FROM syslog_logevent e
WHERE e.id > %s AND e.data->'target'->0 IS NOT NULL
"""
REBUILD_COUNTS = """
INSERT INTO syslog_hourlycount (hour, event_type, events)
SELECT date_trunc('hour', published), event_type, count(*) FROM syslog_logevent GROUP BY 1, 2
"""


def fill(target: int) -> int:
    present = LogEvent.objects.count()
    if present < target:
        last = LogEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        n = target - present
        with connection.cursor() as cursor:
            cursor.execute(FILL, {"n": n, "heavy": HEAVY, "types": TYPES, "count": len(TYPES)})
            cursor.execute(TARGETS, [last])
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL timezone = 'UTC'")
            cursor.execute("SET LOCAL warden.syslog_purge = 'on'")  # the purge's bypass: rebuild, not edit
            cursor.execute("DELETE FROM syslog_hourlycount")
            cursor.execute(REBUILD_COUNTS)
        with connection.cursor() as cursor:
            for table in ("syslog_logevent", "syslog_logeventtarget", "syslog_hourlycount"):
                cursor.execute(f"ANALYZE {table}")
    return LogEvent.objects.count()


def admin() -> User:
    user = User.objects.filter(login="bench-syslog-page@warden.test").first()
    if user is None:
        user = user_create(login="bench-syslog-page@warden.test", first_name="Bench", last_name="Page", password=None)
        role_grant(user=user, role_type=RoleType.SUPER_ADMIN)
    return user


def median_ms(action, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def scenario(client: Client, params: dict[str, str]) -> dict[str, float]:
    now = timezone.now()
    query = search.parse(QueryDict(mutable=True) | params, now=now)
    events = matching(query.params, now=now)

    def first():
        page = window(events, since=query.since, until=query.until, limit=PAGE_SIZE)
        rows(page.events, query.tz)
        return page

    cursor = ""
    for _ in range(49):
        cursor = cursor_of(
            window(events, since=query.since, until=query.until, limit=PAGE_SIZE, after=cursor).events[-1]
        )

    def page50():
        page = window(events, since=query.since, until=query.until, limit=PAGE_SIZE, after=cursor)
        assert len(page.events) == PAGE_SIZE
        rows(page.events, query.tz)

    def chart():
        return histogram(
            events, since=query.since, until=query.until, width=query.width, origin=query.origin, by_type=query.by_type
        )

    def view(**paging):
        response = client.get("/reports/syslog/", {**params, **paging})
        assert response.status_code == 200 and b'role="alert"' not in response.content, response.content[-500:]

    return {
        "first_page_ms": median_ms(first),
        "page50_ms": median_ms(page50),
        "count_and_chart_ms": median_ms(chart),
        "whole_page_ms": median_ms(view),
        "whole_page50_ms": median_ms(lambda: view(after=cursor)),
        "matching_events": sum(b.events for b in chart()),
        "bars": len(chart()),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="200,000 events instead of 1,000,000")
    target = 200_000 if parser.parse_args().quick else 1_000_000
    if connection.vendor != "postgresql":
        raise SystemExit("syslog_page_bench needs PostgreSQL (DATABASE_URL)")
    manage("collectstatic", "--noinput", env=dict(os.environ))  # the page names hashed static files, as in production
    started = time.perf_counter()
    events = fill(target)
    fill_seconds = time.perf_counter() - started
    client = Client()
    client.force_login(admin())
    figures: dict = {"syslog_page_events": events, "syslog_page_fill_seconds": round(fill_seconds, 1)}
    worst = worst_whole = 0.0
    for range_key in ("24h", "30d"):
        for label, extra in (("all", {}), ("type", {"event_type": HEAVY})):
            result = scenario(client, {"range": range_key, **extra})
            for name, value in result.items():
                figures[f"syslog_page_{range_key}_{label}_{name}"] = value
            worst = max(worst, result["first_page_ms"], result["page50_ms"], result["count_and_chart_ms"])
            worst_whole = max(worst_whole, result["whole_page_ms"], result["whole_page50_ms"])
    figures["syslog_page_worst_ms"] = worst
    figures["syslog_page_worst_whole_page_ms"] = worst_whole
    figures["syslog_page_measured_with"] = (
        "in-process, median of 15 (queries + presentation; whole page via test client)"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
