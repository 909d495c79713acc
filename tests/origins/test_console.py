"""Security › API › Trusted Origins in the console: list, add (with precise errors), edit, lifecycle, delete."""

import pytest

from origins.models import OriginStatus, TrustedOrigin
from syslog.models import LogEvent
from tests.conftest import client_for
from tests.origins.factories import OriginFactory, scopes

pytestmark = pytest.mark.django_db
LIST = "/security/api/origins/"


def test_list_shows_name_origin_types_and_status(super_client):
    OriginFactory(
        name="Support SPA",
        origin="https://support.example",
        scopes=scopes("CORS", "IFRAME_EMBED"),
        status=OriginStatus.INACTIVE,
    )
    html = super_client.get(LIST).content.decode()
    for text in ("Support SPA", "https://support.example", "CORS", "iFrame embed", "Inactive", "Add origin"):
        assert text in html


def test_read_only_admin_sees_no_actions(persona_user):
    OriginFactory(name="Visible")
    html = client_for(persona_user("read_only")).get(LIST).content.decode()
    assert "Visible" in html and "Add origin" not in html and "Deactivate" not in html


def test_add_origin_with_checkboxes(super_client):
    response = super_client.post(
        f"{LIST}new", {"name": "Local dev", "origin": "http://LOCALHOST:3000", "cors": "on", "redirect": "on"}
    )
    assert response.status_code == 302 and response["Location"] == LIST
    origin = TrustedOrigin.objects.get()
    assert origin.origin_key == "http://localhost:3000" and origin.scope_types == ["CORS", "REDIRECT"]
    assert LogEvent.objects.filter(event_type="security.trusted_origin.create").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "x", "origin": "https://*.example.com", "cors": "on"}, "Wildcards are not allowed"),
        ({"name": "x", "origin": "null", "cors": "on"}, "is not an origin"),
        ({"name": "x", "origin": "https://example.com/app", "cors": "on"}, "remove the path"),
        ({"name": "x", "origin": "https://example.com"}, "Select at least one type"),
        ({"name": "", "origin": "https://example.com", "cors": "on"}, "This field is required"),
    ],
)
def test_add_origin_errors_are_shown_and_nothing_is_saved(super_client, data, message):
    response = super_client.post(f"{LIST}new", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TrustedOrigin.objects.exists()


def test_edit_keeps_iframe_apps_and_status(super_client):
    origin = OriginFactory(
        scopes=[{"type": "IFRAME_EMBED", "allowedOktaApps": ["OKTA_ENDUSER"]}], status=OriginStatus.INACTIVE
    )
    form = super_client.get(f"{LIST}{origin.id}/edit").content.decode()
    assert 'name="iframe"' in form and "checked" in form
    response = super_client.post(
        f"{LIST}{origin.id}/edit", {"name": "Renamed", "origin": origin.origin, "iframe": "on", "cors": "on"}
    )
    assert response.status_code == 302
    origin.refresh_from_db()
    assert origin.name == "Renamed" and origin.status == OriginStatus.INACTIVE
    assert origin.scopes == [{"type": "CORS"}, {"type": "IFRAME_EMBED", "allowedOktaApps": ["OKTA_ENDUSER"]}]
    assert LogEvent.objects.filter(event_type="security.trusted_origin.update").count() == 1


def test_htmx_lifecycle_swaps_the_row(super_client):
    origin = OriginFactory(name="Row")
    response = super_client.post(f"{LIST}{origin.id}/deactivate", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith("<tr") and "Inactive" in html and "Activate" in html
    response = super_client.post(f"{LIST}{origin.id}/activate")
    assert response.status_code == 302
    assert list(
        LogEvent.objects.filter(event_type__startswith="security.trusted_origin.")
        .order_by("id")
        .values_list("event_type", flat=True)
    ) == ["security.trusted_origin.deactivate", "security.trusted_origin.activate"]


def test_delete_asks_first_and_logs(super_client):
    origin = OriginFactory(name="Gone")
    assert 'data-confirm="Delete the trusted origin Gone' in super_client.get(LIST).content.decode()
    assert super_client.post(f"{LIST}{origin.id}/delete").status_code == 302
    assert not TrustedOrigin.objects.exists()
    assert LogEvent.objects.filter(event_type="security.trusted_origin.delete").count() == 1


def test_demo_load_is_idempotent():
    import io

    from origins import demo

    demo.load(io.StringIO())
    demo.load(io.StringIO())
    assert TrustedOrigin.objects.count() == len(demo.DEMO_ORIGINS)
    assert TrustedOrigin.objects.filter(status=OriginStatus.INACTIVE).count() == 1
