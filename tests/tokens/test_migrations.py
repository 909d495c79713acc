"""tokens 0002/0003: agent tokens that had no expiry (docs/decisions/07 before issue 14) get their last use (or
creation) + 30 days, then the column becomes NOT NULL. Run on a real schema, migrated back and forth."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("tokens", "0001_initial")]
CREATED = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_null_expiries_become_last_use_or_creation_plus_30_days():
    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes("tokens")
    apps = migrate(BEFORE)
    try:
        User, Agent, ApiToken = (
            apps.get_model(*name) for name in (("accounts", "User"), ("tokens", "Agent"), ("tokens", "ApiToken"))
        )
        owner = User.objects.create(login="old@example.com", first_name="Old", last_name="Row")
        agent = Agent.objects.create(
            id="0agOld00000000000000", type="LDAP", name="ldap", host="dc1.test", status="ACTIVE"
        )
        rows = {"used": CREATED + timedelta(days=3), "unused": None}
        for name, last_used in rows.items():
            ApiToken.objects.create(
                id=f"00T{name:0<17}",
                name=name,
                owner=owner,
                agent=agent,
                digest=name * 8,
                created=CREATED,
                last_used=last_used,
                expires_at=None,
            )
        ApiToken.objects.create(
            id="00Tapi00000000000000",
            name="api",
            owner=owner,
            digest="a" * 64,
            created=CREATED,
            expires_at=CREATED + timedelta(days=9),
        )
    finally:
        apps = migrate(leaf)
    expiry = dict(apps.get_model("tokens", "ApiToken").objects.values_list("name", "expires_at"))
    assert expiry == {
        "used": CREATED + timedelta(days=33),
        "unused": CREATED + timedelta(days=30),
        "api": CREATED + timedelta(days=9),
    }  # a token that had an expiry keeps it
    field = apps.get_model("tokens", "ApiToken")._meta.get_field("expires_at")
    assert field.null is False


@pytest.mark.django_db(transaction=True)
def test_links_a_race_left_on_revoked_tokens_are_removed():
    """tokens 0004 (issue 16.4): a revoked token linked to a zone blocked that zone's deletion for good."""
    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes("tokens")
    apps = migrate([("tokens", "0003_expiry_required")])
    try:
        User, ApiToken, TokenZone, NetworkZone = (
            apps.get_model(*name)
            for name in (
                ("accounts", "User"),
                ("tokens", "ApiToken"),
                ("tokens", "TokenZone"),
                ("zones", "NetworkZone"),
            )
        )
        owner = User.objects.create(login="racer@example.com", first_name="Race", last_name="Left")
        zone = NetworkZone.objects.create(id="nzoRace0000000000000", name="raced", type="IP", usage="POLICY")
        for name, status in (("live", "ACTIVE"), ("gone", "REVOKED")):
            token = ApiToken.objects.create(
                id=f"00T{name:0<17}",
                name=name,
                owner=owner,
                digest=name * 16,
                created=CREATED,
                expires_at=CREATED + timedelta(days=30),
                status=status,
                revoked_at=CREATED if status == "REVOKED" else None,
            )
            TokenZone.objects.create(token=token, zone=zone, mode="INCLUDE")
    finally:
        apps = migrate(leaf)
    links = apps.get_model("tokens", "TokenZone").objects.values_list("token__name", flat=True)
    assert list(links) == ["live"]
