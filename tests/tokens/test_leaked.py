"""Leaked-value reports (docs/decisions/31): anyone may report up to 1,000 values; valid ones are revoked (a
rotated-away value in its grace period just stops working), each recorded with the reporter's address and
shown to the owner; the answer is the same whatever was found, and reports are limited per address."""

import json
import logging

import pytest
from django.test import Client, override_settings

from accounts.roles import RoleType
from syslog.models import LogEvent
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.tokens.factories import issue_token, ssws
from tokens import values
from tokens.models import ApiToken, TokenNotice, TokenStatus

pytestmark = pytest.mark.django_db
URL = "/api/v1/api-tokens/lifecycle/leaked"


def report(body, address="203.0.113.9", raw: bytes | None = None):
    data = raw if raw is not None else json.dumps(body)
    return Client(REMOTE_ADDR=address).post(URL, data, content_type="application/json")


def answer(response) -> tuple:
    """What a reporter can tell from a response: status, body and the header names and values that do not
    vary per request anyway (ids, dates and rate-limit counters do)."""
    varying = {"X-Okta-Request-Id", "Date", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"}
    return response.status_code, response.content, sorted((k, v) for k, v in response.items() if k not in varying)


def test_a_reported_value_revokes_its_token_recorded_with_the_reporters_address(caplog):
    caplog.set_level(logging.DEBUG)
    owner = UserFactory(roles=[RoleType.ORG_ADMIN])
    token, value = issue_token(owner=owner, name="pasted in a gist")
    response = report({"credentials": [value]})
    assert response.status_code == 202 and response.json() == {"received": 1}
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.status == TokenStatus.REVOKED
    assert Client().get("/api/v1/users/me", **ssws(value)).status_code == 401
    revoke = LogEvent.objects.get(event_type="system.api_token.revoke")
    assert revoke.data["client"]["ipAddress"] == "203.0.113.9"
    assert revoke.data["outcome"]["reason"] == "Value reported leaked"
    leak = LogEvent.objects.get(event_type="warden.api_token.leak_report")
    assert leak.data["client"]["ipAddress"] == "203.0.113.9" and leak.data["target"][0]["id"] == token.id
    notice = TokenNotice.objects.get(token=token)
    assert notice.kind == TokenNotice.Kind.LEAKED
    page = client_for(owner).get("/security/api/tokens/").content.decode()
    assert 'id="token-notices"' in page and "pasted in a gist" in page
    everything = caplog.text + json.dumps([e.data for e in LogEvent.objects.all()])
    assert value not in everything


def test_the_owner_can_dismiss_the_notice_and_nobody_else_can():
    owner = UserFactory(roles=[RoleType.SUPER_ADMIN])
    token, value = issue_token(owner=owner)
    report({"credentials": [value]})
    notice = TokenNotice.objects.get(token=token)
    other = UserFactory(roles=[RoleType.SUPER_ADMIN])
    assert client_for(other).post(f"/security/api/notices/{notice.id}/dismiss").status_code == 404
    assert client_for(owner).post(f"/security/api/notices/{notice.id}/dismiss").status_code == 302
    assert TokenNotice.objects.get(pk=notice.pk).dismissed_at is not None
    assert 'id="token-notices"' not in client_for(owner).get("/security/api/tokens/").content.decode()


def test_the_answer_is_the_same_whatever_the_report_held():
    _, valid = issue_token()
    forged = values.generate()  # well formed, no such token
    answers = [
        answer(report({"credentials": [valid]}, address="198.51.100.1")),
        answer(report({"credentials": [forged]}, address="198.51.100.2")),
        answer(report({"credentials": ["garbage"]}, address="198.51.100.3")),
        answer(report({"credentials": [valid]}, address="198.51.100.4")),  # already revoked now
    ]
    assert all(a == answers[0] for a in answers), answers


def test_a_previous_value_in_its_grace_period_stops_working_and_the_token_stays():
    admin = UserFactory(roles=[RoleType.SUPER_ADMIN])
    token, old = issue_token(owner=admin)
    rotated = Client().post(
        f"/api/v1/api-tokens/{token.id}/lifecycle/rotate", '{"gracePeriod": "P7D"}', "application/json", **ssws(old)
    )
    new = rotated.json()["value"]
    assert report({"credentials": [old]}).status_code == 202
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.status == TokenStatus.ACTIVE and stored.previous_digest is None
    assert Client().get("/api/v1/users/me", **ssws(old)).status_code == 401
    assert Client().get("/api/v1/users/me", **ssws(new)).status_code == 200
    assert LogEvent.objects.filter(event_type="warden.api_token.leak_report").count() == 1


def test_many_values_at_once_revoke_only_the_valid_ones():
    tokens = [issue_token(name=f"t{i}") for i in range(3)]
    noise = [values.generate() for _ in range(996)] + ["x" * 5000]
    response = report({"credentials": [v for _, v in tokens] + noise})
    assert response.status_code == 202 and response.json() == {"received": 1000}
    assert ApiToken.objects.filter(status=TokenStatus.REVOKED).count() == 3


@override_settings(LEAK_REPORTS_PER_MINUTE="10/m")
def test_ten_reports_a_minute_per_address():
    for _ in range(10):
        assert report({"credentials": ["nothing"]}).status_code == 202
    limited = report({"credentials": ["nothing"]})
    assert limited.status_code == 429 and limited.json()["errorCode"] == "E0000047"
    _, value = issue_token()
    report({"credentials": [value]})  # over the limit: not looked at
    assert ApiToken.objects.filter(status=TokenStatus.REVOKED).count() == 0
    assert report({"credentials": ["nothing"]}, address="203.0.113.77").status_code == 202


@pytest.mark.parametrize(
    "body",
    [
        {"credentials": ["a"] * 1001},
        {"credentials": []},
        {"credentials": "00abc"},
        {"credentials": [1, 2]},
        {"credentials": [None]},
        {"credentials": [["nested"]]},
        {"credentials": [{"value": "x"}]},
        {},
        {"credentials": None},
    ],
)
def test_what_is_not_a_list_of_1_to_1000_strings_is_400(body):
    response = report(body)
    assert response.status_code == 400 and response.json()["errorCode"] == "E0000001"


@pytest.mark.parametrize("raw", [b"[]", b"\x00", b"{", b'"x"', b"null", b'{"credentials": ["\\u0000"]}'])
def test_odd_bodies_never_give_a_500(raw):
    assert report(None, raw=raw).status_code in (202, 400)


def test_nul_bytes_inside_values_are_noise():
    _, value = issue_token()
    response = report({"credentials": [value + "\x00", "\x00" + value, value[:-1] + "\x00"]})
    assert response.status_code == 202
    assert ApiToken.objects.filter(status=TokenStatus.REVOKED).count() == 0


def test_a_huge_body_is_413():
    response = report(None, raw=b'{"credentials": ["' + b"a" * 2_000_000 + b'"]}')
    assert response.status_code == 413


def test_the_lookup_and_revocation_run_after_the_answer_is_complete():
    """docs/decisions/31: the time to the answer cannot depend on what was found, because nothing is looked up
    until the server closes the response (after sending it)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test.client import FakePayload

    token, value = issue_token()
    body = json.dumps({"credentials": [value]}).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": URL,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "203.0.113.9",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": FakePayload(body),
        "wsgi.url_scheme": "http",
    }
    statuses = []
    request_started.disconnect(close_old_connections)  # as django.test.Client: keep the test's transaction
    request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
        assert statuses == ["202 Accepted"] and b"".join(response) == b'{"received": 1}'
        assert ApiToken.objects.get(pk=token.pk).status == TokenStatus.ACTIVE  # answered, nothing done yet
        response.close()  # what the server does once the body is sent
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert ApiToken.objects.get(pk=token.pk).status == TokenStatus.REVOKED
