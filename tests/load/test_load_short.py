"""The CI variant of bench/load.py (issue 10 item 5): a few clients for ~12 s against gunicorn
on PostgreSQL and Redis, mixing reads, console token creation, zone edits and revocations.
Zero 5xx, exactly one System Log event per successful write, every revoked token refused on
its next request. Needs DATABASE_URL (PostgreSQL) and REDIS_URL; uses its own database
`<name>_load` and its own cache key prefix."""

import os
import time

import pytest

from bench.load import load_env, run_load

pytestmark = pytest.mark.live
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")

if not (DATABASE_URL.startswith("postgres") and REDIS_URL):
    pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL", allow_module_level=True)

SECONDS = 12
CLIENTS = 4


def test_concurrent_clients_lose_no_event_and_no_revocation():
    env = load_env(
        database_url=DATABASE_URL + "_load",
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=os.environ.get("CACHE_KEY_PREFIX", "warden") + "-loadlive",
        SECRET_KEY="load-live-test-" + "k" * 40,
    )
    started = time.monotonic()
    figures = run_load(SECONDS, CLIENTS, env)
    print(f"load ({time.monotonic() - started:.1f} s in all): {figures}")
    kinds, writes = figures["load_per_kind"], figures["load_writes"]
    examples = "\n".join(figures["load_examples"])

    assert figures["load_5xx"] == 0, f"{figures['load_5xx']} responses were 5xx:\n{examples}"
    assert figures["load_transport_errors"] == 0, f"requests without a response:\n{examples}"
    assert figures["load_unexpected"] == 0, f"unexpected answers (throttled? refused?):\n{examples}"
    assert figures["load_events_matched"] == figures["load_writes_total"], (
        f"only {figures['load_events_matched']} of {figures['load_writes_total']} successful writes have exactly "
        f"one System Log event of the expected type with their request id:\n{examples}"
    )
    assert figures["load_revoked_then_refused"] == figures["load_revoked"], (
        f"{figures['load_revoked'] - figures['load_revoked_then_refused']} of {figures['load_revoked']} revoked "
        f"tokens were accepted on their next request:\n{examples}"
    )
    assert figures["load_ok"], figures["load_failures"]
    # ... and the run did enough of each kind for the invariants to mean something.
    zone_edits = writes["zone_update"] + writes["zone_activate"] + writes["zone_deactivate"]
    assert writes["token_create"] >= 5, f"only {writes['token_create']} tokens created: {kinds}"
    assert writes["revoke"] >= 5, f"only {writes['revoke']} revocations: {kinds}"
    assert zone_edits >= 5, f"only {zone_edits} zone edits: {kinds}"
    assert kinds.get("read", 0) >= 100, f"only {kinds.get('read', 0)} reads: {kinds}"
    assert writes["signin"] == CLIENTS, f"{writes['signin']} of {CLIENTS} clients signed in"
