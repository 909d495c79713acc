"""Expiry notices that fit the sliding window (docs/decisions/32): a token unused for 23, 27 and 29 days is
about to expire; its owner and the super admins are told by e-mail, the owner also in the console, once per
threshold and idle period, each recorded in the System Log."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client

from accounts.roles import RoleType
from syslog.models import LogEvent
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.tokens.factories import issue_token, ssws
from tokens import services
from tokens.models import TokenNotice

pytestmark = pytest.mark.django_db
START = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def at(days: float):
    return time_machine.travel(START + timedelta(days=days), tick=False)


@pytest.fixture
def world():
    supers = [UserFactory(login="boss@warden.test", roles=[RoleType.SUPER_ADMIN])]
    owner = UserFactory(login="owner@warden.test", roles=[RoleType.ORG_ADMIN])
    with at(0):
        token, value = issue_token(owner=owner, name="nightly export")
    return owner, supers, token, value


def test_each_threshold_is_notified_exactly_once(world):
    owner, supers, token, _ = world
    with at(22.9):
        assert services.tokens_notify_expiring() == 0
    with at(23):
        assert services.tokens_notify_expiring() == 1
        assert services.tokens_notify_expiring() == 0  # the same run again: nothing new
    message = mail.outbox[0]
    assert message.to == ["owner@warden.test"] and message.cc == ["boss@warden.test"]
    assert "nightly export" in message.subject and "23 days" in message.body
    with at(26):
        assert services.tokens_notify_expiring() == 0
    with at(27.5):
        assert services.tokens_notify_expiring() == 1
    with at(29):
        assert services.tokens_notify_expiring() == 1
    with at(29.9):
        assert services.tokens_notify_expiring() == 0
    assert len(mail.outbox) == 3
    notices = TokenNotice.objects.filter(token=token).order_by("threshold_days")
    assert [n.threshold_days for n in notices] == [23, 27, 29]
    events = LogEvent.objects.filter(event_type="warden.api_token.expiry_notice")
    assert events.count() == 3 and {e.data["target"][0]["id"] for e in events} == {token.id}


def test_a_run_that_missed_thresholds_sends_only_the_highest(world):
    *_, token, _ = world
    with at(28):
        assert services.tokens_notify_expiring() == 1
    assert len(mail.outbox) == 1 and "27 days" in mail.outbox[0].body
    with at(28.5):
        assert services.tokens_notify_expiring() == 0


def test_use_starts_a_new_idle_period_with_its_own_notices(world):
    owner, _, token, value = world
    with at(23):
        assert services.tokens_notify_expiring() == 1
        assert 'id="token-notices"' in client_for(owner).get("/security/api/tokens/").content.decode()
    with at(24):
        assert Client().get("/api/v1/users/me", **ssws(value)).status_code == 200  # renews the token
        assert 'id="token-notices"' not in client_for(owner).get("/security/api/tokens/").content.decode()
        assert services.tokens_notify_expiring() == 0
    with at(24 + 23):
        assert services.tokens_notify_expiring() == 1
    assert TokenNotice.objects.filter(token=token, threshold_days=23).count() == 2
    assert len(mail.outbox) == 2


def test_revoked_tokens_get_no_notice(world):
    *_, token, _ = world
    services.token_revoke(token=token)
    with at(23):
        assert services.tokens_notify_expiring() == 0
    assert mail.outbox == []


def test_the_scheduler_command_sends_then_lists(world):
    *_, token, _ = world
    with at(29):
        out, err = StringIO(), StringIO()
        call_command("tokens_expiring", stdout=out, stderr=err)
        assert "1 expiry notice(s) sent." in err.getvalue() and token.id in out.getvalue()
        call_command("tokens_expiring", "--list-only", stdout=StringIO(), stderr=StringIO())
        call_command("tokens_expiring", stdout=StringIO(), stderr=(again := StringIO()))
        assert "0 expiry notice(s) sent." in again.getvalue()
    assert len(mail.outbox) == 1


def test_the_database_refuses_a_second_notice_for_the_same_threshold_and_period(world):
    """What keeps concurrent scheduler runs from sending twice: the second insert fails, so it sends nothing."""
    *_, token, _ = world
    with at(23):
        services.tokens_notify_expiring()
    first = TokenNotice.objects.get(token=token)
    with pytest.raises(IntegrityError), transaction.atomic():
        TokenNotice.objects.create(
            token=token, kind=first.kind, threshold_days=23, period_start=first.period_start, message="again"
        )


def test_a_failed_send_keeps_nothing_and_the_next_run_sends_it(world, monkeypatch):
    *_, token, _ = world

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    with at(23):
        monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
        assert services.tokens_notify_expiring() == 0
        assert not TokenNotice.objects.filter(token=token).exists()
        assert not LogEvent.objects.filter(event_type="warden.api_token.expiry_notice").exists()
        monkeypatch.undo()
        assert services.tokens_notify_expiring() == 1
    assert len(mail.outbox) == 1
