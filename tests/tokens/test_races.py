"""Issue 16.4: races between requests that each passed authentication before the other acted."""

import pytest
from django.test import Client

from accounts.roles import RoleType
from tests.accounts.factories import UserFactory
from tests.tokens.factories import issue_token
from tokens import services
from tokens.models import TokenStatus

pytestmark = pytest.mark.django_db


def test_a_second_delete_current_that_lost_the_race_answers_401_not_500(monkeypatch):
    owner = UserFactory(roles=[RoleType.SUPER_ADMIN])
    token, value = issue_token(owner=owner)
    real_revoke = services.token_revoke

    def revoked_meanwhile(*, token, **kwargs):
        real_revoke(token=token)  # the concurrent request, authenticated by the same token, won
        return real_revoke(token=token, **kwargs)

    monkeypatch.setattr(services, "token_revoke", revoked_meanwhile)
    response = Client().delete("/api/v1/api-tokens/current", HTTP_AUTHORIZATION=f"SSWS {value}")
    assert response.status_code == 401 and response.json()["errorCode"] == "E0000011"
    token.refresh_from_db()
    assert token.status == TokenStatus.REVOKED
