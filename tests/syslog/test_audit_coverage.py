"""Every event type Warden can record is checked by at least one test: its name appears in a
test as an expected value (not merely in a `record(...)` call used as setup). A new audited
action without such a test fails here."""

import re
from pathlib import Path

from syslog.catalog import EVENT_TYPES

TESTS = Path(__file__).resolve().parents[1]
SETUP_LINE = re.compile(r"\brecord(_refusal)?\(")


def _checked_event_types() -> set[str]:
    checked = set()
    for path in TESTS.rglob("*.py"):
        if path.name == Path(__file__).name:
            continue
        for line in path.read_text().splitlines():
            if not SETUP_LINE.search(line):
                checked.update(
                    re.findall(r"[\"']([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)+)[\"']", line)
                )  # digits too: app.oauth2.…
    return checked


def test_every_catalogued_event_type_is_checked_by_a_test():
    unchecked = sorted(set(EVENT_TYPES) - _checked_event_types())
    assert not unchecked, f"event types no test checks: {unchecked}"
