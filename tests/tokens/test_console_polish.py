"""Issue 17, in the HTML the console sends: each point an Okta administrator found, kept fixed.
The browser-side behaviour (dialogs, toasts, focus, widths, axe) is in tests/browser/test_console_quality.py."""

import re
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.roles import RoleType
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.zones.factories import ZoneFactory, cidr
from tokens import services
from tokens.models import ApiToken

pytestmark = pytest.mark.django_db
TOKENS = "/security/api/tokens/"


def test_token_rows_have_one_line_dates_a_status_dot_with_text_and_the_owner_linked(super_client, super_admin):
    token, _ = services.token_create(owner=super_admin, name="Terraform " + "x" * 200)
    html = super_client.get(TOKENS).content.decode()
    row = html[html.index(f'id="token-{token.id}"') :].split("</tr>")[0]
    assert re.search(r'<time datetime="[^"]+" data-local title="[^"]+ UTC">', row)  # local time, UTC on hover
    assert 'class="status-dot" title="Not used in the last three days"' in row
    assert '<span class="visually-hidden">Not used in the last three days</span>' in row
    assert f'class="truncate" href="/security/api/tokens/{token.id}/" title="{token.name}"' in row
    assert f'href="/people/{super_admin.id}/" title="{super_admin.display_name}">' in row  # the name is the link
    assert "Created" in html and "Expires" in html


def test_headers_sort_in_place_and_keep_the_query(super_client):
    html = super_client.get(TOKENS, {"q": "ab", "sort": "name"}).content.decode()
    assert 'aria-sort="ascending"' in html
    assert 'hx-get="?q=ab&amp;sort=last_used"' in html and 'hx-push-url="true"' in html
    partial = super_client.get(TOKENS, {"sort": "expiry"}, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="token-table"') and "<html" not in partial


def test_a_revoke_in_place_sends_a_toast_and_the_new_counts(super_client, super_admin):
    token, _ = services.token_create(owner=super_admin, name="Old script")
    response = super_client.post(f"{TOKENS}{token.id}/revoke", headers={"HX-Request": "true"})
    trigger = response.headers["HX-Trigger"]
    assert '"warden:toast": {"message": "Token Old script was revoked."}' in trigger
    assert '"warden:counts": {"api": "0"' in trigger


def test_person_deactivation_confirmation_lists_the_tokens_it_revokes(super_client):
    gary = UserFactory(first_name="Gary", last_name="Group", roles=[RoleType.USER_ADMIN])
    services.token_create(owner=gary, name="Group import")
    services.token_create(owner=gary, name="Group export")
    html = super_client.get(f"/people/{gary.id}/").content.decode()
    assert 'data-confirm="Deactivate Gary Group?"' in html
    assert "Deactivating Gary Group revokes 2 API tokens for good:" in html
    assert "<li>Group export</li><li>Group import</li>" in html


def test_zone_deactivation_names_the_tokens_and_delete_is_disabled_with_the_reason(super_client, super_admin):
    zone = ZoneFactory(name="Office", gateways=[cidr("198.51.100.0/24")])
    services.token_create(owner=super_admin, name="Terraform", network={"connection": "ZONE", "include": [zone.id]})
    html = super_client.get("/security/networks/").content.decode()
    assert "1 active token uses this zone:" in html and "<li>Terraform</li>" in html
    assert 'aria-disabled="true" aria-label="Delete Office"' in html
    assert (
        f'<span class="visually-hidden" id="zone-{zone.id}-delete-why">Deactivate the zone before deleting it.' in html
    )


def test_zone_messages_name_what_the_admin_typed_not_python_values(super_client, super_admin):
    zone = ZoneFactory(name="Office", gateways=[cidr("198.51.100.0/24")], status="INACTIVE")
    services.token_create(owner=super_admin, name="Terraform", network={"connection": "ZONE", "include": [zone.id]})
    response = super_client.post(f"/security/networks/{zone.id}/delete", follow=True)
    assert "API tokens use it: Terraform." in response.content.decode()
    form = {"name": "Lab", "type": "IP", "usage": "POLICY", "gateways": "not-an-ip"}
    html = super_client.post("/security/networks/new", form).content.decode()
    assert "&#x27;not-an-ip&#x27; is not an IPv4 or IPv6 address" in html and "&#x27;not&#x27;" not in html


def test_trusted_origins_keeps_the_api_header_tabs_and_sidebar_highlight(super_client):
    html = super_client.get("/security/api/origins/").content.decode()
    assert "<h1>API</h1>" in html
    assert 'aria-current="page">Trusted Origins</a>' in html
    assert re.search(r'<a href="/security/api/tokens/" aria-current="page" class="active">API</a>', html)
    assert "Add origin" in html


def test_every_hint_and_error_reference_points_at_an_element(super_client):
    for url, data in [
        ("/security/networks/new", {"name": "", "type": "IP", "usage": "POLICY"}),
        ("/security/api/origins/new", {"name": "", "origin": "nope"}),
        ("/security/api/tokens/new", {"name": "x" * 256, "connection": "IN_ZONES"}),
    ]:
        for html in (super_client.get(url).content.decode(), super_client.post(url, data).content.decode()):
            ids = set(re.findall(r' id="([^"]+)"', html))
            for refs in re.findall(r'aria-describedby="([^"]+)"', html):
                assert set(refs.split()) <= ids, (url, refs)
            if "aria-invalid" in html:
                assert "has-error" in html


def test_a_long_name_is_refused_with_a_visible_error_not_cut(super_client):
    html = super_client.get("/security/api/tokens/new").content.decode()
    assert "maxlength" not in html
    html = super_client.post("/security/api/tokens/new", {"name": "n" * 300, "connection": "ANYWHERE"}).content.decode()
    assert "Use at most 255 characters (this name has 300)." in html
    assert not ApiToken.objects.filter(name__startswith="nnn").exists()


def test_the_standalone_create_page_posts_into_itself_and_shows_the_picker_only_for_zone_choices(super_client):
    html = super_client.get("/security/api/tokens/new").content.decode()
    assert '<div id="create-dialog-content"' in html and 'hx-target="#create-dialog-content"' in html
    assert "<h1" in html and "data-zone-picker" in html
    assert re.search(r"data-zone-picker[^>]* hidden>", html)  # "Any IP" is the default: no picker
    shown = super_client.post("/security/api/tokens/new", {"name": "", "connection": "IN_ZONES"}).content.decode()
    assert not re.search(r"data-zone-picker[^>]* hidden>", shown)
    assert "defined in Okta" not in html


def test_the_guide_is_html_with_a_heading_and_tables(super_client):
    html = super_client.get("/security/api/tokens/guide").content.decode()
    assert "<h1>Warden API tokens</h1>" in html and "<table>" in html
    assert "**" not in html and "\n# " not in html


def test_numbers_have_thousands_separators(super_client, super_admin):
    html = super_client.get("/security/rate-limits/").content.decode()
    assert "10,000" in html and ">10000<" not in html


@override_settings(DEBUG=True)
def test_a_missing_page_is_wardens_even_with_debug(super_client):
    response = super_client.get("/no/such/page")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Not found</h1>" in html and "Back to the console" in html
    assert "seeing this error because" not in html


def test_a_non_admin_is_offered_sign_out_not_a_link_back_to_the_same_refusal():
    person = UserFactory(roles=[])
    response = client_for(person).get("/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Back to the console" not in html and 'action="/signout"' in html


def test_demo_tokens_were_created_before_they_were_last_used():
    from console.management.commands.load_demo import Command

    Command().handle()
    for token in ApiToken.objects.exclude(last_used=None):
        assert token.created <= token.last_used <= timezone.now() + timedelta(seconds=1), token.name


def test_a_rate_limit_request_in_the_demo_has_someone_else_to_approve_it():
    from accounts.models import User
    from console.management.commands.load_demo import Command

    Command().handle()
    humans = User.objects.filter(is_service_account=False, role_assignments__role_type=RoleType.SUPER_ADMIN)
    assert humans.distinct().count() >= 2


def test_a_location_error_names_the_code_typed_not_a_python_dict(super_client):
    form = {"name": "Geo", "type": "DYNAMIC", "usage": "POLICY", "locations": "FRANCE"}
    html = super_client.post("/security/networks/new", form).content.decode()
    assert "&#x27;FRANCE&#x27; is not a country code: use two capital letters such as US" in html
    assert "{&#x27;country&#x27;" not in html


@override_settings(DEBUG=True)
def test_a_crash_shows_wardens_500_page_even_with_debug(rf):
    from console.middleware import OwnErrorPages

    request = rf.get("/security/api/tokens/")
    response = OwnErrorPages(lambda r: None).process_exception(request, RuntimeError("boom"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert OwnErrorPages(lambda r: None).process_exception(rf.get("/api/v1/users/me"), RuntimeError()) is None
