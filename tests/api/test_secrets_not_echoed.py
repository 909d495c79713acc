"""Issue 16.8: console pages are not cached, and a token value put in a URL is never echoed."""

import logging

import pytest

from tests.tokens.factories import issue_token

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/security/api/tokens/", "/people/", "/reports/syslog/", "/security/networks/"])
def test_console_pages_are_not_cached(super_client, path):
    response = super_client.get(path)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_a_token_value_in_an_api_path_is_echoed_neither_in_the_body_nor_in_the_log(super_client, super_admin, caplog):
    _, value = issue_token(owner=super_admin)
    with caplog.at_level(logging.WARNING):
        for path in [f"/api/v1/api-tokens/{value}", f"/api/v1/zones/{value}", f"/api/v1/nowhere/{value}"]:
            response = super_client.get(path)
            assert response.status_code == 404
            assert value not in response.content.decode()
    assert caplog.records and not [r for r in caplog.records if value in r.getMessage()]
