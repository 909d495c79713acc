"""CORS on /api/v1/ answered from ACTIVE CORS origins, and docs/decisions/14, through the whole middleware stack."""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from origins import lists
from origins.models import OriginStatus
from syslog.models import LogEvent
from tests.api.test_conventions import assert_okta_error
from tests.conftest import client_for
from tests.origins.factories import OriginFactory, scopes
from tests.tokens.factories import issue_token, ssws

pytestmark = pytest.mark.django_db
SPA = "https://spa.example.com"
API = "/api/v1/trustedOrigins"


def cors_headers(response) -> dict:
    return {k.lower(): v for k, v in response.items() if k.lower().startswith("access-control-")}


@pytest.fixture
def spa():
    return OriginFactory(name="spa", origin=SPA, scopes=scopes("CORS"))


def test_active_cors_origin_is_echoed_with_credentials_and_vary(super_admin, spa):
    response = client_for(super_admin).get(API, HTTP_ORIGIN=SPA)
    assert response.status_code == 200
    headers = cors_headers(response)
    assert headers["access-control-allow-origin"] == SPA  # the exact origin, never "*"
    assert headers["access-control-allow-credentials"] == "true"
    assert "origin" in response["Vary"].lower()


def test_an_unauthenticated_read_gets_a_401_the_page_can_read(spa):
    response = Client().get(API, HTTP_ORIGIN=SPA)
    assert_okta_error(response, 401, "E0000011")
    assert cors_headers(response)["access-control-allow-origin"] == SPA


@pytest.mark.parametrize(
    "origin",
    [
        "https://spa.example.com.evil.io",
        "http://spa.example.com",
        "https://spa.example.com:8443",
        "https://SPA.example.com",
        "null",
        "https://evil.example",
    ],
)
def test_other_origins_get_no_cors_headers(super_admin, spa, origin):
    response = client_for(super_admin).get(API, HTTP_ORIGIN=origin)
    assert cors_headers(response) == {}
    assert "origin" in response["Vary"].lower()


def test_inactive_or_non_cors_origins_get_no_cors_headers(super_admin):
    OriginFactory(origin="https://off.example", scopes=scopes("CORS"), status=OriginStatus.INACTIVE)
    OriginFactory(origin="https://redirect-only.example", scopes=scopes("REDIRECT", "IFRAME_EMBED"))
    client = client_for(super_admin)
    assert cors_headers(client.get(API, HTTP_ORIGIN="https://off.example")) == {}
    assert cors_headers(client.get(API, HTTP_ORIGIN="https://redirect-only.example")) == {}


def test_deactivating_takes_effect_on_the_next_request(super_client, spa):
    assert cors_headers(super_client.get(API, HTTP_ORIGIN=SPA))
    assert super_client.post(f"{API}/{spa.id}/lifecycle/deactivate").status_code == 200
    assert cors_headers(super_client.get(API, HTTP_ORIGIN=SPA)) == {}
    super_client.post(f"{API}/{spa.id}/lifecycle/activate")
    assert cors_headers(super_client.get(API, HTTP_ORIGIN=SPA))


def test_console_pages_never_get_cors_headers(super_client, spa):
    response = super_client.get("/security/api/origins/", HTTP_ORIGIN=SPA)
    assert response.status_code == 200 and cors_headers(response) == {}


def test_preflight_never_allows_authorization_and_only_read_methods(spa):
    response = Client().options(
        API,
        HTTP_ORIGIN=SPA,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    headers = cors_headers(response)
    assert response.status_code == 200 and headers["access-control-allow-origin"] == SPA
    assert "authorization" not in headers["access-control-allow-headers"].lower()
    assert set(headers["access-control-allow-methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_cross_origin_ssws_is_403_without_cors_headers(spa):
    _token, value = issue_token()
    response = Client().get(API, HTTP_ORIGIN=SPA, **ssws(value))
    assert_okta_error(response, 403, "E0000006")
    assert cors_headers(response) == {}
    response = Client().get(API, HTTP_ORIGIN="https://unknown.example", HTTP_AUTHORIZATION=f"ssws{value}")
    assert_okta_error(response, 403, "E0000006")


def test_same_origin_and_originless_ssws_still_work():
    _token, value = issue_token()
    assert Client().get(API, **ssws(value)).status_code == 200
    assert Client().get(API, HTTP_ORIGIN="http://testserver", **ssws(value)).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_cross_origin_session_writes_are_403_without_cors_headers(super_admin, spa, method):
    client = client_for(super_admin)
    response = getattr(client, method)(API, data="{}", content_type="application/json", HTTP_ORIGIN=SPA)
    assert_okta_error(response, 403, "E0000006")
    assert cors_headers(response) == {}
    assert not LogEvent.objects.filter(event_type="security.trusted_origin.create").exists()


def test_head_is_allowed_cross_origin(super_admin, spa):
    response = client_for(super_admin).head(API, HTTP_ORIGIN=SPA)
    assert response.status_code == 200 and cors_headers(response)["access-control-allow-origin"] == SPA


@override_settings(ORIGIN_CHECK_SECONDS=3600)
def test_the_lists_are_per_process_and_follow_the_shared_version(spa):
    """With a long check interval a process keeps its lists; a change made here drops them at once."""
    lists.trusted_origins.reset()
    assert lists.is_cors_origin(SPA)
    other = OriginFactory(origin="https://second.example", scopes=scopes("CORS"))  # save() drops the local copy
    assert lists.is_cors_origin(other.origin)


def test_the_lists_reload_when_another_process_bumps_the_version(spa, django_assert_num_queries):
    lists.trusted_origins.get()
    with django_assert_num_queries(0):  # same version: no query
        lists.is_cors_origin(SPA)
    cache.set(lists.VERSION_KEY, "changed-elsewhere")
    with django_assert_num_queries(1):
        lists.is_cors_origin(SPA)
