"""Hostile input (corpus.json beside this file): each case gets its documented
4xx with an Okta error body (a plain page for console cases, `"html": true`),
and no table changes (the System Log may record a refusal; that is its job).
`{self}` in a path is the signed-in persona's id.

Classes (issue 16.7 added the last four, systematically): malformed JSON, wrong
types, oversized input, token look-alikes, bad CIDRs and origins, path tricks;
control characters (NUL, SOH, US, DEL, LF) in every query parameter of every
list API and console list page and in every path id; filters nested or chained
past the parser's bounds; dates and cursors at the extremes; unknown enum values
in paths."""

import json
from pathlib import Path

import pytest
from django.apps import apps
from django.test import Client

from tests.conftest import make_persona

CASES = json.loads((Path(__file__).parent / "corpus.json").read_text())
AUDIT_TABLES = {"syslog.LogEvent", "syslog.LogEventTarget", "sessions.Session"}


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label not in AUDIT_TABLES
    }


def test_corpus_is_large_enough():
    assert len(CASES) >= 300


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_hostile_input_is_refused_and_changes_nothing(case):
    client = Client()
    path = case["path"]
    if case["auth"] != "anonymous":
        user = make_persona(case["auth"])
        client.force_login(user)
        path = path.replace("{self}", user.id)
    before = row_counts()
    body = case.get("raw")
    if "json" in case:
        body = json.dumps(case["json"])
    response = client.generic(
        case["method"],
        path,
        data=(body or "").encode("utf-8", "surrogatepass"),
        content_type="application/json",
        **case.get("headers", {}),
    )
    assert response.status_code == case["status"], response.content[:300]
    assert row_counts() == before
    if case.get("html"):
        assert response["Content-Type"].startswith("text/html")
        return
    error = json.loads(response.content)
    assert set(error) == {"errorCode", "errorSummary", "errorLink", "errorId", "errorCauses"}
    if "code" in case:
        assert error["errorCode"] == case["code"], error
