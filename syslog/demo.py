"""A few thousand realistic System Log events over the last 30 days: sign-ins
(some failing), token use, zone and token changes. Added once."""

import random
from datetime import timedelta

from django.utils import timezone

from syslog.events import Party, record
from syslog.models import LogEvent
from syslog.outcomes import Outcome

DEMO_EVENTS = 3000
ADMINS = [
    Party("00uDemoAda0000000000", "User", "admin@warden.test", "Ada Admin"),
    Party("00uDemoOlivia0000000", "User", "olivia.org@warden.test", "Olivia Org"),
    Party("00uDemoRita000000000", "User", "rita.readonly@warden.test", "Rita Readonly"),
]
TOKENS = [
    Party(f"00TDemoToken{i:08d}", "Token", "unknown", name)
    for i, name in enumerate(["Terraform", "Provisioning sync", "Reporting export"])
]
ZONE = Party("nzoDemoOffice0000000", "NetworkZone", "Office", "Office")
KINDS = [
    ("user.session.start", Outcome.SUCCESS, 40),
    ("user.session.start", Outcome.FAILURE, 8),
    ("user.session.end", Outcome.SUCCESS, 30),
    ("system.api_token.create", Outcome.SUCCESS, 6),
    ("system.api_token.update", Outcome.SUCCESS, 4),
    ("system.api_token.revoke", Outcome.SUCCESS, 3),
    ("system.api_token.request_outside_allowed_range", Outcome.DENY, 4),
    ("zone.update", Outcome.SUCCESS, 3),
    ("security.request.blocked", Outcome.DENY, 2),
]


def load(out) -> None:
    now = timezone.now()
    if LogEvent.objects.filter(published__lt=now - timedelta(days=1)).count() >= DEMO_EVENTS:
        return
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    kinds = [(k, o) for k, o, weight in KINDS for _ in range(weight)]
    for _ in range(DEMO_EVENTS):
        event_type, outcome = rng.choice(kinds)
        actor = rng.choice(ADMINS)
        targets = [rng.choice(TOKENS), actor] if event_type.startswith("system.api_token") else []
        if event_type.startswith(("zone.", "security.")):
            targets = [ZONE]
        record(
            event_type,
            actor=actor,
            targets=targets,
            outcome=outcome,
            reason="INVALID_CREDENTIALS" if outcome == Outcome.FAILURE else None,
            published=now - timedelta(days=1, seconds=rng.randint(0, 29 * 86400)),
        )
    out.write(f"System Log: {LogEvent.objects.count()} events")
