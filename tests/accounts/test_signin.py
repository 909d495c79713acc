import pytest
from django.urls import reverse

from accounts.roles import RoleType, UserStatus
from syslog.models import LogEvent
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, login, password=PASSWORD, **extra):
    return client.post(reverse("accounts:signin"), {"username": login, "password": password}, **extra)


def test_admin_signs_in_and_the_session_start_is_logged(client):
    admin = UserFactory(login="ada@example.com", roles=[RoleType.SUPER_ADMIN])
    response = sign_in(client, "ADA@example.com")
    assert response.status_code == 302
    assert client.get(reverse("accounts:people")).status_code == 200
    event = LogEvent.objects.get(event_type="user.session.start")
    assert event.actor_id == admin.id
    assert event.data["outcome"] == {"result": "SUCCESS", "reason": None}
    assert event.data["transaction"]["type"] == "WEB"


def test_wrong_password_is_refused_and_logged_as_failure(client):
    UserFactory(login="ada@example.com", roles=[RoleType.SUPER_ADMIN])
    response = sign_in(client, "ada@example.com", "wrong")
    assert response.status_code == 401
    assert b"Sign-in failed" in response.content
    event = LogEvent.objects.get(event_type="user.session.start")
    assert event.data["outcome"] == {"result": "FAILURE", "reason": "INVALID_CREDENTIALS"}
    assert "_auth_user_id" not in client.session


def test_deactivated_user_cannot_sign_in(client):
    UserFactory(login="gone@example.com", roles=[RoleType.SUPER_ADMIN], status=UserStatus.DEPROVISIONED)
    assert sign_in(client, "gone@example.com").status_code == 401
    assert "_auth_user_id" not in client.session


def test_guessing_from_one_address_does_not_lock_the_admin_out_from_another(client):
    UserFactory(login="ada@example.com", roles=[RoleType.SUPER_ADMIN])
    for _ in range(5):
        assert sign_in(client, "ada@example.com", "guess", REMOTE_ADDR="203.0.113.9").status_code == 401
    limited = sign_in(client, "ada@example.com", PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert limited.status_code == 429  # even the right password waits at the guessing address
    assert sign_in(client, "ada@example.com", PASSWORD, REMOTE_ADDR="198.51.100.4").status_code == 302


def test_refused_sign_ins_are_logged_once_a_minute_with_a_count(client):
    UserFactory(login="ada@example.com", roles=[RoleType.SUPER_ADMIN])
    for _ in range(4):
        sign_in(client, "ada@example.com", "guess", REMOTE_ADDR="203.0.113.9")
    events = LogEvent.objects.filter(event_type="user.session.start", outcome_result="FAILURE")
    assert events.count() == 1
    assert events.get().data["debugContext"]["debugData"]["suppressedRefusals"] == 0


def test_non_admin_signs_in_but_gets_no_console(client):
    UserFactory(login="nora@example.com")
    assert sign_in(client, "nora@example.com").status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 403
    assert client.get(reverse("accounts:people")).status_code == 403


def test_sign_out_ends_the_session_and_is_logged(client):
    admin = UserFactory(login="ada@example.com", roles=[RoleType.SUPER_ADMIN])
    client.force_login(admin)
    assert client.post(reverse("accounts:signout")).status_code == 302
    assert client.get(reverse("accounts:people")).status_code == 302
    assert LogEvent.objects.filter(event_type="user.session.end", actor_id=admin.id).count() == 1


def test_sign_in_never_goes_to_a_next_url_on_another_site(client):
    UserFactory(login="ada@example.com", roles=[RoleType.SUPER_ADMIN])
    response = client.post(
        reverse("accounts:signin"),
        {"username": "ada@example.com", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 400 and "Location" not in response  # and no session (issue 16.8)
    assert "_auth_user_id" not in client.session


def test_sign_out_requires_post(client):
    assert client.get(reverse("accounts:signout")).status_code == 405


@pytest.mark.parametrize("spelling", ["ſam@example.com", "SAM@example.com", "ſAM@EXAMPLE.COM", " sam@example.com"])
def test_every_spelling_that_signs_in_shares_one_guessing_bucket(client, spelling):
    """Issue 16.6: PostgreSQL matches `ſ` (U+017F) to `s` case-insensitively; Python's lower() does not."""
    UserFactory(login="sam@example.com", roles=[RoleType.SUPER_ADMIN])
    for guess in ["sam@example.com", "ſam@example.com", "Sam@example.com", "ſAm@example.com", spelling]:
        assert sign_in(client, guess, "guess", REMOTE_ADDR="203.0.113.9").status_code in (401, 429)
    for login in ["sam@example.com", spelling]:
        assert sign_in(client, login, PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 429
    assert "_auth_user_id" not in client.session
