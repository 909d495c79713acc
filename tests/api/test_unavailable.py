"""A database that cannot answer gives 503 E0000010 with what the Okta SDKs need to retry (docs/decisions/21);
/healthz never touches it, /readyz says whether it answers."""

import pytest
from django.db import OperationalError
from django.test import Client

from tests.tokens.factories import issue_token, ssws
from tokens import auth

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection timeout expired")

    monkeypatch.setattr(auth, "find_token", refuse)


@pytest.mark.parametrize("path", ["/api/v1/users/me", "/api/v1/zones"])
def test_the_database_down_in_a_middleware_is_a_503_the_sdks_retry(database_down, path):
    _, value = "unused", issue_token()[1]
    response = Client(raise_request_exception=False).get(path, **ssws(value))
    assert response.status_code == 503
    assert response.json()["errorCode"] == "E0000010"
    assert response["Retry-After"] == "2"
    assert int(response["X-Rate-Limit-Reset"]) > 0 and response["Date"]


def test_the_database_down_in_a_view_is_a_503(monkeypatch, super_client):
    from zones import api

    def refuse(*args, **kwargs):
        raise OperationalError("canceling statement due to statement timeout")

    monkeypatch.setattr(api, "paginate", refuse)
    response = super_client.get("/api/v1/zones")
    assert response.status_code == 503 and response.json()["errorCode"] == "E0000010"
    assert "Retry-After" in response and "X-Rate-Limit-Reset" in response


def test_readiness_says_whether_the_database_answers(client, monkeypatch):
    assert client.get("/readyz").json() == {"status": "ready", "database": "ok", "cache": "ok"}
    from api import views

    class Broken:
        def cursor(self):
            raise OperationalError("no connection")

    monkeypatch.setattr(views, "connection", Broken())
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["status"] == "not ready"
    assert client.get("/healthz").status_code == 200
