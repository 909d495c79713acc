"""Issue 16.4: races between requests that each passed authentication before the other acted."""

import contextlib
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from accounts import services as accounts_services
from accounts.models import RoleAssignment
from accounts.roles import RoleType
from syslog.models import LogEvent
from tests.accounts.factories import UserFactory
from tests.tokens.factories import issue_token
from tests.zones.factories import ZoneFactory, cidr
from tokens import services
from tokens.models import ApiToken, TokenStatus, TokenZone
from zones import services as zone_services

pytestmark = pytest.mark.django_db


def test_a_second_delete_current_that_lost_the_race_answers_401_not_500(monkeypatch):
    owner = UserFactory(roles=[RoleType.SUPER_ADMIN])
    token, value = issue_token(owner=owner)
    real_revoke = services.token_revoke

    def revoked_meanwhile(*, token, **kwargs):
        real_revoke(token=token)  # the concurrent request, authenticated by the same token, won
        return real_revoke(token=token, **kwargs)

    monkeypatch.setattr(services, "token_revoke", revoked_meanwhile)
    response = Client().delete("/api/v1/api-tokens/current", HTTP_AUTHORIZATION=f"SSWS {value}")
    assert response.status_code == 401 and response.json()["errorCode"] == "E0000011"
    token.refresh_from_db()
    assert token.status == TokenStatus.REVOKED


def _office():
    return ZoneFactory(gateways=[cidr("198.51.100.0/24")])


def test_a_network_update_that_lost_the_race_to_a_revocation_changes_nothing():
    """The update read the token before the revocation committed (a stale object stands for that read):
    it used to re-link the revoked token to the zone, which then could never be deleted."""
    office = _office()
    token, _ = issue_token()
    stale = ApiToken.objects.get(pk=token.pk)
    services.token_revoke(token=token)
    with pytest.raises(ValidationError, match="revoked"):
        services.token_update_network(token=stale, network={"connection": "ZONE", "include": [office.id]})
    assert not TokenZone.objects.filter(token=token).exists()
    assert not LogEvent.objects.filter(event_type="system.api_token.update").exists()
    with pytest.raises(ValidationError, match="revoked"):
        services.token_update_share(token=stale, percent=10)


def test_links_of_revoked_or_expired_tokens_never_block_a_zone_deletion():
    office = _office()
    revoked, _ = issue_token(network={"connection": "ZONE", "include": [office.id]})
    expired, _ = issue_token(network={"connection": "ZONE", "include": [office.id]})
    ApiToken.objects.filter(pk=revoked.pk).update(status=TokenStatus.REVOKED, revoked_at=timezone.now())  # old race
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    zone_services.zone_deactivate(zone=office)
    office.refresh_from_db()
    assert zone_services.delete_refusals(office) == []


def test_concurrent_network_updates_each_record_what_they_replaced():
    """Two updates of one token, each read before the other wrote: the second event's `from` is the
    first update's result, not the network both read (the row is locked and read again)."""
    office = _office()
    token, _ = issue_token()
    first, second = ApiToken.objects.get(pk=token.pk), ApiToken.objects.get(pk=token.pk)
    zoned = {"connection": "ZONE", "include": [office.id]}
    services.token_update_network(token=first, network=zoned)
    services.token_update_network(token=second, network={"connection": "ANYWHERE"})
    events = LogEvent.objects.filter(event_type="system.api_token.update").order_by("id")
    changes = [event.data["target"][0]["changeDetails"] for event in events]
    assert changes[1]["from"]["network"] == changes[0]["to"]["network"]
    assert changes[1]["from"]["network"]["connection"] == "ZONE"


@pytest.mark.django_db(transaction=True)
def test_two_super_admins_demoting_each_other_get_one_clear_outcome(monkeypatch):
    """Each demotion passes the last-super-admin check before either deletes: with each locking only
    the other's assignment they deadlocked (a 500). Now one wins and the other is told it would remove
    the last super admin."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    alice = UserFactory(roles=[RoleType.SUPER_ADMIN])
    bob = UserFactory(roles=[RoleType.SUPER_ADMIN])
    both_checked = threading.Barrier(2)
    real_check = accounts_services._ensure_not_last_super_admin

    def check_then_wait(user):
        real_check(user)
        # The old code reached here in both threads, each holding the other's row; now the other thread
        # waits for our locks instead, and there is nobody to meet.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_checked.wait(timeout=2)

    monkeypatch.setattr(accounts_services, "_ensure_not_last_super_admin", check_then_wait)
    outcomes = {}

    def demote(name, user, actor):
        try:
            accounts_services.role_remove(user=user, role_type=RoleType.SUPER_ADMIN, actor=actor)
            outcomes[name] = "demoted"
        except ValidationError as error:
            outcomes[name] = "refused: " + " ".join(error.messages)
        except Exception as error:  # a deadlock is a DatabaseError: the 500 this test guards against
            outcomes[name] = f"error: {type(error).__name__}"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=demote, args=("alice demotes bob", bob, alice)),
        threading.Thread(target=demote, args=("bob demotes alice", alice, bob)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(o.split(":")[0] for o in outcomes.values()) == ["demoted", "refused"], outcomes
    remaining = RoleAssignment.objects.filter(role_type=RoleType.SUPER_ADMIN).count()
    assert remaining == 1
