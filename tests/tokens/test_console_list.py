"""The Tokens list: constant queries however many tokens, filters and roles."""

import secrets
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import RoleType
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.tokens.factories import issue_token
from tokens.models import ApiToken
from zones.matching import current_index

pytestmark = pytest.mark.django_db


def add_tokens(owners, count):
    now = timezone.now()
    ApiToken.objects.bulk_create(
        ApiToken(
            name=f"bulk-{secrets.token_hex(4)}",
            owner=owners[i % len(owners)],
            digest=secrets.token_hex(32),
            expires_at=now + timedelta(days=10 + i % 20),
            last_used=now - timedelta(days=i % 5),
        )
        for i in range(count)
    )


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/security/api/tokens/",
        "/security/api/tokens/?q=bulk&sort=last_used",
        "/security/api/tokens/?type=api&sort=expiry&page=3",
    ],
)
def test_list_queries_do_not_grow_with_tokens(url):
    admin = UserFactory(roles=[RoleType.SUPER_ADMIN])
    owners = [UserFactory(roles=[role]) for role in (RoleType.ORG_ADMIN, RoleType.READ_ONLY_ADMIN)] + [admin]
    client = client_for(admin)
    add_tokens(owners, 200)
    current_index()  # the zones index is built once per process, not per request
    at_200 = queries_for(client, url)
    add_tokens(owners, 9_800)
    assert queries_for(client, url) == at_200


def test_search_and_type_filter_and_counts(super_client, super_admin):
    issue_token(owner=super_admin, name="deploy bot")
    issue_token(owner=super_admin, name="backup")
    page = super_client.get("/security/api/tokens/?q=deploy").content.decode()
    assert "deploy bot" in page and "backup" not in page
    assert (
        '<span>API tokens</span> <span class="count" data-count-key="api">2</span>'
        in super_client.get("/security/api/tokens/").content.decode()
    )


def test_org_admin_sees_only_own_tokens_and_no_revoke_for_others():
    org = UserFactory(roles=[RoleType.ORG_ADMIN])
    issue_token(owner=org, name="mine")
    issue_token(owner=UserFactory(roles=[RoleType.ORG_ADMIN]), name="theirs")
    page = client_for(org).get("/security/api/tokens/").content.decode()
    assert "mine" in page and "theirs" not in page


def test_help_desk_admin_has_no_tokens_tab():
    assert client_for(UserFactory(roles=[RoleType.HELP_DESK_ADMIN])).get("/security/api/tokens/").status_code == 403


def test_create_without_javascript_shows_the_value_once_and_never_caches_it(super_client):
    response = super_client.post("/security/api/tokens/new", {"name": "no-js", "connection": "ANYWHERE"})
    assert "Token created successfully!" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert 'hx-history="false"' in response.content.decode()
    assert "no-js" not in super_client.get("/security/api/tokens/new").content.decode()
    assert not any("00" in str(v) and len(str(v)) == 42 for v in super_client.session.values())
