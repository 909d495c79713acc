"""Load without loss (issue 10 item 5).

Concurrent clients run for a fixed time against gunicorn (one worker per core) on PostgreSQL
and Redis, mixing API reads, token creation through the console's real form (signed-in
session, CSRF, the one-time value parsed from the page), zone edits (PUT of an IP zone's
gateways, deactivate, activate) and revocations (DELETE /api/v1/api-tokens/{id} of tokens the
load created, then one request with the revoked value). Afterwards, against PostgreSQL:

- zero 5xx (and no transport errors, no unexpected status: nothing is throttled or refused);
- every successful write has exactly one System Log event with its X-Okta-Request-Id as
  transaction id, of the expected eventType, naming the object written;
- every revoked token is refused (401) on its next request.

Prints one JSON object as its last line and exits non-zero when an invariant fails.
`run_load(seconds, clients, env)` is the same run for tests (tests/load/). The database
(`warden_load` beside the benchmarks' one unless LOAD_DATABASE_URL says otherwise) is
created if missing and migrated. Each client signs in as its own super admin (the sign-in
limit allows 5 attempts per address and login, 30 per address a minute): at most 30 clients."""

import argparse
import html
import http.client
import json
import os
import random
import re
import sys
import threading
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.server import bench_env, ensure_database, gunicorn, manage  # noqa: E402

MAX_CLIENTS = 30
PASSWORD = "Load-client-secret-2026!"
# Raised so the clients are never throttled, but on: every request still runs the limiter.
LIMITS = {
    "RATE_LIMIT_DEFAULT": "10000000",
    "RATE_LIMIT_LOGS": "10000000",
    "RATE_LIMIT_UNAUTHENTICATED": "10000000/m",  # revoked values are refused credentials
}
READS = ["/api/v1/users/me", "/api/v1/api-tokens", "/api/v1/zones", "/api/v1/logs?limit=20"]
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
VALUE_INPUT = re.compile(rb'id="token-value"[^>]*>([^<]+)</textarea>')  # the one-time value, shown once
WRITE_KINDS = ["signin", "token_create", "revoke", "zone_update", "zone_deactivate", "zone_activate"]

SEED = """
import json, os
from django.utils import timezone
from accounts.models import User
from accounts.roles import RoleType
from accounts.services import role_grant, user_create
from tokens.models import ApiToken, TokenStatus
from tokens.services import token_create
from zones.models import NetworkZone, ZoneStatus, ZoneType, ZoneUsage

seats = []
for i in range(int(os.environ["LOAD_CLIENTS"])):
    login = f"load{i}@warden.test"
    user = User.objects.filter(login=login).first()
    if user is None:
        user = user_create(login=login, first_name="Load", last_name=f"Client {i}",
                           password=os.environ["LOAD_PASSWORD"])
        role_grant(user=user, role_type=RoleType.SUPER_ADMIN)
    # Tokens left active by an earlier run: tidy them away (not part of this run's writes).
    ApiToken.objects.filter(owner=user, status=TokenStatus.ACTIVE).update(
        status=TokenStatus.REVOKED, revoked_at=timezone.now())
    _, value = token_create(owner=user, name=f"load reader {i}")
    zone, _ = NetworkZone.objects.update_or_create(name=f"Load zone {i}", defaults={
        "type": ZoneType.IP, "usage": ZoneUsage.POLICY, "status": ZoneStatus.ACTIVE, "system": False,
        "gateways": [{"type": "CIDR", "value": f"10.{200 + i}.0.0/24"}], "proxies": None})
    seats.append({"index": i, "login": login, "token": value, "zone_id": zone.id, "zone_name": zone.name})
print(json.dumps(seats))
"""


def load_env(database_url: str | None = None, **extra: str) -> dict[str, str]:
    """The benchmarks' environment with the load's own database and the limits raised."""
    env = bench_env()
    url = database_url or os.environ.get("LOAD_DATABASE_URL") or env["DATABASE_URL"].rsplit("/", 1)[0] + "/warden_load"
    env.update(DATABASE_URL=url, WARDEN_TESTING="false", CACHE_KEY_PREFIX=env["CACHE_KEY_PREFIX"] + "-load", **LIMITS)
    env.update(extra)
    return env


def seed(env: dict[str, str], clients: int) -> list[dict]:
    output = manage("shell", "-c", SEED, env={**env, "LOAD_CLIENTS": str(clients), "LOAD_PASSWORD": PASSWORD})
    return json.loads(output.strip().splitlines()[-1])


@dataclass
class Write:
    kind: str
    event_type: str
    request_id: str
    target_id: str | None  # the object the event must name (None: not checked)


@dataclass
class Client:
    """One simulated administrator: a signed-in browser session plus an SSWS token."""

    base: str
    seat: dict
    deadline: float
    run_id: str
    rng: random.Random
    log: list[tuple[str, int]] = field(default_factory=list)  # (kind, status); status 0 = transport error
    writes: list[Write] = field(default_factory=list)
    revocations: list[tuple[str, int]] = field(default_factory=list)  # (token id, status of its next request)
    problems: list[str] = field(default_factory=list)
    pool: list[tuple[str, str]] = field(default_factory=list)  # created, not yet revoked: (id, value)
    cookies: dict[str, str] = field(default_factory=dict)
    created: int = 0
    zone_step: int = 0

    def __post_init__(self) -> None:
        parts = urlsplit(self.base)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)

    # --- HTTP ---------------------------------------------------------------------------
    def call(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        token: str | None = None,
        form: dict | None = None,
        body: dict | None = None,
        expect: tuple[int, ...] = (200,),
    ):
        """One request on this client's HTTP/1.1 connection. gunicorn's sync workers close it
        after each response, and http.client reopens it for the next request, as a browser does.
        Nothing is retried: a lost response is a failure. Returns (status, headers, body);
        status 0 for a transport error."""
        headers = {"User-Agent": "warden-load/1"}
        data = None
        if token is not None:
            headers["Authorization"] = f"SSWS {token}"
            headers["Accept"] = "application/json"
        elif self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            data = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.conn.close()
            self.log.append((kind, 0))
            self.problems.append(f"{kind}: {method} {path.split('?')[0]}: {type(error).__name__}: {error}")
            return 0, None, b""
        self.log.append((kind, response.status))
        if token is None:
            for header in response.headers.get_all("Set-Cookie") or ():
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        if response.status not in expect:
            self.problems.append(
                f"{kind}: {method} {path.split('?')[0]} answered {response.status}, "
                f"expected {expect}: {payload[:300]!r}"
            )
        return response.status, response.headers, payload

    def _csrf(self, page: bytes) -> str | None:
        match = CSRF_INPUT.search(page)
        return html.unescape(match[1].decode()) if match else None

    # --- actions ------------------------------------------------------------------------
    def sign_in(self) -> bool:
        status, _, page = self.call("console", "GET", "/signin")
        csrf = self._csrf(page)
        if status != 200 or csrf is None:
            self.problems.append("signin: no sign-in form")
            return False
        status, headers, _ = self.call(
            "signin",
            "POST",
            "/signin",
            expect=(302,),
            form={"csrfmiddlewaretoken": csrf, "username": self.seat["login"], "password": PASSWORD, "next": ""},
        )
        if status != 302 or "sessionid" not in self.cookies:
            self.problems.append(f"signin: {self.seat['login']} was not signed in")
            return False
        self.writes.append(Write("signin", "user.session.start", headers["X-Okta-Request-Id"], None))
        return True

    def read(self) -> None:
        # A third of the reads use a token the load created (and will revoke), so revocation hits
        # tokens every worker has recently served, not only ones used once.
        token = self.rng.choice(self.pool)[1] if self.pool and self.rng.random() < 0.33 else self.seat["token"]
        self.call("read", "GET", self.rng.choice(READS), token=token)

    def create_token(self) -> None:
        """The console's dialog, the way a browser without JavaScript uses it."""
        status, _, page = self.call("console", "GET", "/security/api/tokens/new")
        csrf = self._csrf(page)
        if status != 200 or csrf is None:
            self.problems.append("token_create: no form on the create page")
            return
        self.created += 1
        name = f"load {self.run_id} c{self.seat['index']} n{self.created}"
        status, headers, page = self.call(
            "token_create",
            "POST",
            "/security/api/tokens/new",
            form={"csrfmiddlewaretoken": csrf, "name": name, "connection": "ANYWHERE"},
        )
        match = VALUE_INPUT.search(page)
        if status != 200 or match is None:
            if status == 200:
                self.problems.append(f"token_create: no token value in the response: {page[-600:]!r}")
            return
        value = html.unescape(match[1].decode())
        # The new token's first use: find its own id (the page shows only the value).
        status, _, body = self.call("token_lookup", "GET", "/api/v1/api-tokens?" + urlencode({"q": name}), token=value)
        ids = [t["id"] for t in json.loads(body) if t.get("name") == name] if status == 200 else []
        self.writes.append(
            Write(
                "token_create",
                "system.api_token.create",
                headers["X-Okta-Request-Id"],
                ids[0] if len(ids) == 1 else None,
            )
        )
        if len(ids) == 1:
            self.pool.append((ids[0], value))
        elif status == 200:
            self.problems.append(f"token_lookup: {len(ids)} tokens named {name!r}")

    def revoke(self) -> None:
        token_id, value = self.pool.pop(0)
        status, headers, _ = self.call(
            "revoke", "DELETE", f"/api/v1/api-tokens/{token_id}", token=self.seat["token"], expect=(204,)
        )
        if status != 204:
            return
        self.writes.append(Write("revoke", "system.api_token.revoke", headers["X-Okta-Request-Id"], token_id))
        status, _, _ = self.call("revoked_use", "GET", "/api/v1/users/me", token=value, expect=(401,))
        self.revocations.append((token_id, status))

    def edit_zone(self) -> None:
        """This client's own zone cycles PUT, deactivate, PUT, activate, so every lifecycle call
        changes the status (a no-op activation records no event, as in Okta)."""
        step, self.zone_step = self.zone_step % 4, self.zone_step + 1
        zone_id = self.seat["zone_id"]
        if step in (0, 2):
            n = self.zone_step
            gateways = [
                {"type": "CIDR", "value": f"10.{200 + self.seat['index']}.{n % 256}.0/24"},
                {"type": "RANGE", "value": f"192.0.2.{n % 200 + 1}-192.0.2.{n % 200 + 20}"},
            ]
            body = {
                "type": "IP",
                "name": self.seat["zone_name"],
                "usage": "POLICY",
                "gateways": gateways,
                "proxies": None,
            }
            kind, path, method, event = "zone_update", f"/api/v1/zones/{zone_id}", "PUT", "zone.update"
        else:
            action = "deactivate" if step == 1 else "activate"
            kind, path, method, event = (
                f"zone_{action}",
                f"/api/v1/zones/{zone_id}/lifecycle/{action}",
                "POST",
                f"zone.{action}",
            )
            body = None
        status, headers, _ = self.call(kind, method, path, token=self.seat["token"], body=body)
        if status == 200:
            self.writes.append(Write(kind, event, headers["X-Okta-Request-Id"], zone_id))
        else:
            self.zone_step -= 1  # retry the same step: the zone's state is unknown otherwise

    def run(self) -> None:
        try:
            if not self.sign_in():
                return
            while time.monotonic() < self.deadline:
                roll = self.rng.random()
                if roll < 0.60:
                    self.read()
                elif roll < 0.72 or (roll < 0.84 and not self.pool):
                    self.create_token()
                elif roll < 0.84:
                    self.revoke()
                else:
                    self.edit_zone()
        except Exception:  # a bug in the client must fail the run loudly, not end a thread quietly
            self.problems.append("client crashed: " + traceback.format_exc())


def verify(env: dict[str, str], writes: list[Write], started: datetime) -> dict:
    """Each write's events by transaction id, read straight from PostgreSQL."""
    ids = [w.request_id for w in writes]
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        rows = conn.execute(
            "SELECT transaction_id, event_type, data->'target' FROM syslog_logevent WHERE transaction_id = ANY(%s)",
            [ids],
        ).fetchall()
        others = conn.execute(
            "SELECT event_type, count(*) FROM syslog_logevent WHERE published >= %s "
            "AND (transaction_id IS NULL OR transaction_id <> ALL(%s)) GROUP BY 1 ORDER BY 1",
            [started, ids],
        ).fetchall()
    events = defaultdict(list)
    for transaction_id, event_type, targets in rows:
        events[transaction_id].append((event_type, [t.get("id") for t in targets or ()]))
    matched, mismatches = 0, []
    duplicates = [rid for rid, n in Counter(ids).items() if n > 1]
    for write in writes:
        found = events.get(write.request_id, [])
        if (
            len(found) == 1
            and found[0][0] == write.event_type
            and (write.target_id is None or write.target_id in found[0][1])
        ):
            matched += 1
        else:
            mismatches.append(
                f"{write.kind} {write.request_id}: expected one {write.event_type}"
                f"{' naming ' + write.target_id if write.target_id else ''}, found {found}"
            )
    return {
        "matched": matched,
        "mismatches": mismatches,
        "duplicate_request_ids": duplicates,
        "other_events": dict(others),
    }


def run_load(seconds: float, clients: int, env: dict[str, str]) -> dict:
    if not 1 <= clients <= MAX_CLIENTS:
        raise ValueError(f"clients must be between 1 and {MAX_CLIENTS} (the sign-in limit per address)")
    ensure_database(env)
    seats = seed(env, clients)
    run_id = f"{random.getrandbits(32):08x}"
    workers = os.cpu_count() or 1
    with gunicorn(workers=workers, env=env) as base:
        started_at = datetime.now(UTC)
        started = time.monotonic()
        team = [
            Client(base, seat, started + seconds, run_id, random.Random(f"{run_id}-{seat['index']}")) for seat in seats
        ]
        threads = [threading.Thread(target=c.run, name=f"load-{c.seat['index']}") for c in team]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        duration = time.monotonic() - started
        for client in team:
            client.conn.close()
    log = [entry for c in team for entry in c.log]
    writes = [w for c in team for w in c.writes]
    revocations = [r for c in team for r in c.revocations]
    problems = [p for c in team for p in c.problems]
    checked = verify(env, writes, started_at)
    statuses = Counter(status for _, status in log)
    five_xx = sum(n for status, n in statuses.items() if status >= 500)
    transport_errors = statuses.get(0, 0)
    refused = sum(1 for _, status in revocations if status == 401)
    failures = []
    if five_xx:
        failures.append(f"{five_xx} responses were 5xx")
    if transport_errors:
        failures.append(f"{transport_errors} requests got no response")
    if problems:
        failures.append(f"{len(problems)} unexpected answers (first: {problems[0][:500]})")
    if checked["mismatches"]:
        failures.append(
            f"{len(checked['mismatches'])} of {len(writes)} successful writes do not have exactly "
            f"one matching System Log event (first: {checked['mismatches'][0]})"
        )
    if checked["duplicate_request_ids"]:
        failures.append(f"request ids used twice: {checked['duplicate_request_ids'][:5]}")
    if refused != len(revocations):
        failures.append(
            f"{len(revocations) - refused} of {len(revocations)} revoked tokens were not refused "
            f"on their next request: {[r for r in revocations if r[1] != 401][:5]}"
        )
    if not writes:
        failures.append("no successful write at all")
    return {
        "load_seconds": seconds,
        "load_clients": clients,
        "load_workers": workers,
        "load_duration_s": round(duration, 2),
        "load_requests": len(log),
        "load_rps": round(len(log) / duration, 1),
        "load_per_kind": dict(sorted(Counter(kind for kind, _ in log).items())),
        "load_statuses": {str(k): v for k, v in sorted(statuses.items())},
        "load_writes": {kind: sum(1 for w in writes if w.kind == kind) for kind in WRITE_KINDS},
        "load_writes_total": len(writes),
        "load_events_matched": checked["matched"],
        "load_5xx": five_xx,
        "load_transport_errors": transport_errors,
        "load_unexpected": len(problems),
        "load_revoked": len(revocations),
        "load_revoked_then_refused": refused,
        "load_other_events": checked["other_events"],
        "load_examples": (problems[:5] + checked["mismatches"][:5]),
        "load_failures": failures,
        "load_ok": not failures,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=None, help="how long the clients run (default 60)")
    parser.add_argument("--clients", type=int, default=8, help=f"concurrent clients, 1-{MAX_CLIENTS} (default 8)")
    parser.add_argument("--quick", action="store_true", help="15 s unless --seconds says otherwise (make bench)")
    args = parser.parse_args()
    seconds = args.seconds if args.seconds is not None else (15.0 if args.quick else 60.0)
    figures = run_load(seconds, args.clients, load_env())
    for failure in figures["load_failures"]:
        sys.stderr.write(f"FAILED: {failure}\n")
    print(json.dumps(figures, sort_keys=True))
    sys.exit(0 if figures["load_ok"] else 1)


if __name__ == "__main__":
    main()
