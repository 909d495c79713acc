"""System Log at a million events (issue 9 figure 4; issue 3).

Fills the bench database (PostgreSQL) to N events spread over 29 days with a
single INSERT ... SELECT generate_series (appending is what the trigger
allows), then times, in-process through Django's test client with an SSWS
token, the median of 20 runs of
`GET /api/v1/logs?filter=eventType eq "system.api_token.create"&limit=100`
and of its 50th page (reached by following `next`)."""

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

from bench.server import bench_env  # noqa: E402

# /api/v1/logs is limited to 60 a minute (30 for one caller): raised here so the runs below time
# the query, not 429s. The limiter still runs on every request.
for key, value in bench_env(RATE_LIMIT_LOGS="100000000").items():
    os.environ.setdefault(key, value)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import RoleType  # noqa: E402
from accounts.services import role_grant, user_create  # noqa: E402
from syslog.models import LogEvent  # noqa: E402
from tokens.services import token_create  # noqa: E402

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
                          'outcome', jsonb_build_object('result', 'SUCCESS', 'reason', NULL), 'target', NULL,
                          'transaction', jsonb_build_object('type', 'WEB', 'id', md5(g::text), 'detail', '{}'::jsonb))
FROM generate_series(1, %s) AS g,
LATERAL (SELECT now() - interval '29 days' + (g * (interval '29 days' / %s)) AS published,
                (ARRAY['system.api_token.create', 'user.session.start', 'system.api_token.revoke', 'zone.update',
                       'user.session.end'])[1 + g %% 5] AS kind,
                '00uBench' || lpad((g %% 50)::text, 12, '0') AS actor) AS t
"""
URL = '/api/v1/logs?filter=eventType eq "system.api_token.create"&limit=100'


def fill(target: int) -> int:
    present = LogEvent.objects.count()
    if present < target:
        with connection.cursor() as cursor:
            cursor.execute(FILL, [target - present, target - present])
            cursor.execute("ANALYZE syslog_logevent")
    return LogEvent.objects.count()


def token() -> str:
    user = User.objects.filter(login="bench-logs@warden.test").first()
    if user is None:
        user = user_create(
            login="bench-logs@warden.test", first_name="Bench", last_name="Logs", password=None, is_service_account=True
        )
        role_grant(user=user, role_type=RoleType.SUPER_ADMIN)
    return token_create(owner=user, name="bench logs")[1]


def median_ms(client: Client, url: str, headers: dict, runs: int = 20) -> tuple[float, object]:
    times, response = [], None
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:300]
    return statistics.median(times), response


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    target = 200_000 if parser.parse_args().quick else 1_000_000
    if connection.vendor != "postgresql":
        raise SystemExit("syslog_bench needs PostgreSQL (DATABASE_URL)")
    started = time.perf_counter()
    events = fill(target)
    fill_seconds = time.perf_counter() - started
    headers = {"HTTP_AUTHORIZATION": f"SSWS {token()}"}
    client = Client()
    first_ms, response = median_ms(client, URL, headers)
    url = URL
    for _ in range(49):  # follow `next` to page 50
        links = dict(
            (rel, link)
            for link, rel in (h[1:].split('>; rel="') for h in (x.rstrip('"') for x in response.link_headers))
        )
        url = links["next"].replace("http://testserver", "")
        response = client.get(url, **headers)
    page50_ms, _ = median_ms(client, url, headers)
    print(
        json.dumps(
            {
                "syslog_events": events,
                "syslog_fill_seconds": round(fill_seconds, 1),
                "syslog_query_ms_1m": round(first_ms, 2),
                "syslog_page50_ms_1m": round(page50_ms, 2),
                "syslog_page50_ratio": round(page50_ms / first_ms, 2),
                "syslog_measured_with": "Django test client in-process (view, query, serialisation; no HTTP)",
            }
        )
    )


if __name__ == "__main__":
    main()
