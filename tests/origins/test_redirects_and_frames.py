"""Sign-in/out redirects only to the console or an ACTIVE REDIRECT origin (refusals
recorded, docs/decisions/10), and frames per docs/decisions/15."""

import pytest
from django.test import Client

from origins.models import OriginStatus
from syslog.models import LogEvent
from tests.accounts.factories import PASSWORD, UserFactory
from tests.conftest import client_for
from tests.origins.factories import OriginFactory, scopes

pytestmark = pytest.mark.django_db
REFUSED = "security.trusted_origin.redirect_refused"


@pytest.fixture
def app_origin():
    return OriginFactory(name="app", origin="https://app.example.com", scopes=scopes("REDIRECT"))


@pytest.mark.parametrize(
    "target",
    [
        "https://app.example.com/after/sign-out?x=1",
        "https://APP.example.com:443/",
        "https://app.example.com",
        "/security/networks/",
    ],
)
def test_sign_out_follows_trusted_targets(super_admin, app_origin, target):
    response = client_for(super_admin).post("/signout", {"next": target})
    if target.startswith("/"):
        assert response.status_code == 302 and response["Location"] == target
    else:  # a page that moves on by itself (form-action would stop a redirect; see origins.redirects.leave_to)
        assert response.status_code == 200
        refresh = f'<meta http-equiv="refresh" content="0;url={target.replace("&", "&amp;")}">'
        assert refresh in response.content.decode()
    assert not LogEvent.objects.filter(event_type=REFUSED).exists()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "https://app.example.com.evil.io/",
        "http://app.example.com/",  # another scheme is another origin
        "https://app.example.com:8443/",
        "https://user@app.example.com/",
        "//evil.example/",
        "javascript:alert(1)",
        "https:\\\\evil.example",
    ],
)
def test_sign_out_refuses_and_records_other_targets(super_admin, app_origin, target):
    response = client_for(super_admin).post("/signout", {"fromURI": target})
    assert response.status_code == 302 and response["Location"] == "/signin"
    event = LogEvent.objects.get(event_type=REFUSED)
    assert event.data["outcome"]["result"] == "DENY"
    assert event.data["debugContext"]["debugData"]["redirectUri"] == target


def test_refusals_are_recorded_once_a_minute_per_ip(super_admin):
    for _ in range(3):
        client_for(super_admin).post("/signout", {"next": "https://evil.example/"})
    assert LogEvent.objects.filter(event_type=REFUSED).count() == 1


def test_inactive_or_cors_only_origins_are_not_redirect_targets(super_admin):
    OriginFactory(origin="https://off.example", scopes=scopes("REDIRECT"), status=OriginStatus.INACTIVE)
    OriginFactory(origin="https://cors.example", scopes=scopes("CORS"))
    for target in ("https://off.example/", "https://cors.example/"):
        response = client_for(super_admin).post("/signout", {"next": target})
        assert response["Location"] == "/signin"


def test_sign_in_honours_next_and_fromuri(app_origin):
    user = UserFactory(login="someone@example.com", roles=[])
    response = Client().post(
        "/signin", {"username": user.login, "password": PASSWORD, "fromURI": "https://app.example.com/home"}
    )
    assert response.status_code == 302 and response["Location"] == "https://app.example.com/home"
    starts = LogEvent.objects.filter(event_type="user.session.start").count()
    client = Client()
    response = client.post("/signin", {"username": user.login, "password": PASSWORD, "next": "https://evil.example"})
    # Issue 16.8: decided before the session exists: no session, no session event, the target is dropped
    assert response.status_code == 400 and "not a trusted origin" in response.content.decode()
    assert b"https://evil.example" not in response.content
    assert "_auth_user_id" not in client.session
    assert LogEvent.objects.filter(event_type="user.session.start").count() == starts
    assert LogEvent.objects.filter(event_type=REFUSED).count() == 1
    response = client.post("/signin", {"username": user.login, "password": PASSWORD})  # signing in again works
    assert response.status_code == 302 and response["Location"] == "/"


def test_sign_in_page_carries_fromuri_into_the_form():
    response = Client().get("/signin?fromURI=https://app.example.com/x")
    assert b'value="https://app.example.com/x"' in response.content


def test_frames_are_denied_everywhere_without_iframe_origins(super_client):
    for response in (Client().get("/signin"), super_client.get("/security/api/origins/")):
        assert response["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_iframe_origins_may_frame_the_sign_in_page_only(super_client):
    OriginFactory(origin="https://portal.example", scopes=scopes("IFRAME_EMBED"))
    OriginFactory(origin="https://old.example", scopes=scopes("IFRAME_EMBED"), status=OriginStatus.INACTIVE)
    OriginFactory(origin="https://cors.example", scopes=scopes("CORS"))
    signin = Client().get("/signin")
    assert "X-Frame-Options" not in signin
    policy = signin["Content-Security-Policy"]
    assert "frame-ancestors https://portal.example;" in policy + ";"
    assert "old.example" not in policy and "cors.example" not in policy
    console = super_client.get("/security/api/origins/")
    assert console["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in console["Content-Security-Policy"]


def test_form_action_widens_on_the_sign_in_page_only(super_client, app_origin):
    """Browsers apply form-action to the redirect after the sign-in POST (the browser test shows it)."""
    OriginFactory(origin="https://cors.example", scopes=scopes("CORS"))
    policy = Client().get("/signin")["Content-Security-Policy"]
    assert "https://app.example.com" in policy.split("form-action")[1].split(";")[0]
    assert "cors.example" not in policy
    assert "form-action 'self';" in super_client.get("/security/api/origins/")["Content-Security-Policy"] + ";"
