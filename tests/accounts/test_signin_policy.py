"""accounts' sign-in works on its own: until origins registers its policy (accounts/signin_policy.py,
docs/decisions/18) only the console's own host is a destination, sign-out redirects plainly and nobody frames
the sign-in page. With origins installed, its policy is the one registered."""

import pytest
from django.test import Client

from accounts import signin_policy
from origins import frames, redirects
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict(monkeypatch):
    monkeypatch.setattr(signin_policy, "_policy", signin_policy.STRICT)


def test_origins_registers_its_policy():
    policy = signin_policy._policy
    assert (policy.checked, policy.leave_to, policy.framable) == (
        redirects.checked,
        redirects.leave_to,
        frames.framable_by_iframe_origins,
    )


def test_the_default_follows_only_the_console_itself(strict):
    user = UserFactory()
    client = Client()
    response = client.post("/signin", {"username": user.login, "password": PASSWORD, "next": "/security/networks/"})
    assert response.status_code == 302 and response["Location"] == "/security/networks/"
    response = client.post("/signout", {"next": "https://app.example.com/"})
    assert response.status_code == 302 and response["Location"] == "/signin"


def test_the_default_frames_nothing(strict):
    response = Client().get("/signin")
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
