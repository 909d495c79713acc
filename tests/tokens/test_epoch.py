"""The durable authorization epoch (tokens/snapshots.py, docs/decisions/21): a shared copy that is missing or
older never vouches for a snapshot, a lost announcement is caught by the durable row, and renewal never
brings an expired token back."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts import services as accounts_services
from accounts.roles import RoleType
from tests.accounts.factories import UserFactory
from tests.tokens.factories import issue_token, ssws
from tokens import auth, services, snapshots
from tokens.models import ApiToken

pytestmark = pytest.mark.django_db
ME, ZONES = "/api/v1/users/me", "/api/v1/zones"


def test_every_change_moves_the_durable_epoch_forward():
    token, _ = issue_token()
    before = snapshots.durable_epoch()
    services.token_revoke(token=token)
    after_revoke = snapshots.durable_epoch()
    accounts_services.role_grant(user=UserFactory(), role_type=RoleType.HELP_DESK_ADMIN)
    assert before < after_revoke < snapshots.durable_epoch()
    assert cache.get(snapshots.EPOCH_KEY) == snapshots.durable_epoch()  # and announced


def test_a_missing_shared_epoch_never_vouches_for_a_snapshot(client):
    """Issue 15, scenario 1: emptied, a token used, revoked, emptied again."""
    cache.clear()
    token, value = issue_token()
    demoted = UserFactory(roles=[RoleType.SUPER_ADMIN])
    UserFactory(roles=[RoleType.SUPER_ADMIN])
    _, demoted_value = issue_token(owner=demoted)
    for _ in range(2):
        assert client.get(ME, **ssws(value)).status_code == 200
        assert client.get(ZONES, **ssws(demoted_value)).status_code == 200
    services.token_revoke(token=token)
    accounts_services.role_grant(user=demoted, role_type=RoleType.HELP_DESK_ADMIN)
    accounts_services.role_remove(user=demoted, role_type=RoleType.SUPER_ADMIN)
    cache.clear()
    assert client.get(ME, **ssws(value)).status_code == 401
    assert client.get(ZONES, **ssws(demoted_value)).status_code == 403


def test_a_lost_announcement_is_caught_by_the_durable_epoch(client, settings):
    """Issue 15, scenario 2: the shared copy went back to the value the snapshot carries (a failover to a
    replica without the change, or an announcement that timed out)."""
    settings.AUTH_EPOCH_CHECK_SECONDS = 0
    token, value = issue_token()
    assert client.get(ME, **ssws(value)).status_code == 200
    assert client.get(ME, **ssws(value)).status_code == 200  # from its snapshot
    old = cache.get(snapshots.EPOCH_KEY)
    services.token_revoke(token=token)
    cache.set(snapshots.EPOCH_KEY, old, timeout=None)
    assert client.get(ME, **ssws(value)).status_code == 401
    _, other = issue_token()
    assert client.get(ME, **ssws(other)).status_code == 200  # read from the database: announces what it read
    assert cache.get(snapshots.EPOCH_KEY) == snapshots.durable_epoch()


def test_the_durable_epoch_is_read_at_most_once_per_interval(client, settings, django_assert_num_queries):
    settings.AUTH_EPOCH_CHECK_SECONDS = 3600
    _, value = issue_token()
    assert client.get(ME, **ssws(value)).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(ME, **ssws(value)).status_code == 200


def test_the_shared_copy_only_moves_forward():
    snapshots.announce(0)  # no change yet: the row is missing and reads as 0, which a snapshot may carry
    assert cache.get(snapshots.EPOCH_KEY) == 0
    snapshots.announce(10)
    snapshots.announce(7)
    assert cache.get(snapshots.EPOCH_KEY) == 10


def test_renewal_never_revives_a_token_expired_in_the_database():
    """Issue 15, scenario 4: a snapshot still holds the old expiry; the database says expired."""
    token, value = issue_token()
    accepted = auth.authenticate(f"SSWS {value}", "192.0.2.1")
    past = timezone.now() - timedelta(minutes=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=past)  # behind the application's back
    auth.renew(accepted.token)
    assert ApiToken.objects.get(pk=token.pk).expires_at == past
    assert snapshots.snapshots.get(accepted.digest) is None  # decided from the database next time
    assert isinstance(auth.authenticate(f"SSWS {value}", "192.0.2.1"), auth.Refused)
