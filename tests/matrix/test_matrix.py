"""Every URL pattern x every persona (each role and no role signed in to the
console, anonymous, and an SSWS token of each role) gets the status docs/permissions.md's
permissions table gives it. A URL without a row fails `test_every_url_has_a_row`."""

import importlib
import json
import pkgutil

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.matrix
from tests.conftest import PERSONAS, client_for, make_persona
from tests.matrix.rows import TOKEN_PERSONAS, build
from tests.tokens.factories import issue_token, ssws


def _all_rows():
    rows = []
    for module in pkgutil.iter_modules(tests.matrix.__path__):
        if module.name.startswith("rows_"):
            rows += importlib.import_module(f"tests.matrix.{module.name}").ROWS
    return rows


ROWS = _all_rows()


def _url_names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _url_names(pattern.url_patterns, inner or None)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_has_a_row():
    covered = {row.name for row in ROWS}
    missing = sorted(set(_url_names(get_resolver().url_patterns)) - covered)
    assert not missing, f"URL patterns without a permission-matrix row: {missing}"


def test_every_row_names_every_persona():
    for row in ROWS:
        assert set(row.expect) == set(PERSONAS), row.label


CASES = [(row, persona) for row in ROWS for persona in PERSONAS]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "persona"), CASES, ids=[f"{r.label}-{p}" for r, p in CASES])
def test_permission_matrix(row, persona):
    user = make_persona(persona)
    _check(row, client_for(user), user, row.expect[persona], persona)


TOKEN_CASES = [(row, persona) for row in ROWS for persona in TOKEN_PERSONAS]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "persona"), TOKEN_CASES, ids=[f"{r.label}-{p}" for r, p in TOKEN_CASES])
def test_permission_matrix_with_tokens(row, persona):
    owner = make_persona(persona.removeprefix("token_"))
    _, value = issue_token(owner=owner)
    _check(row, Client(**ssws(value)), owner, row.expect_for_token(persona), persona)


def _check(row, client, actor, expected: int, persona: str) -> None:
    kwargs = build(row.kwargs, actor)
    data = build(row.data, actor)
    url = reverse(row.name, kwargs=kwargs)
    send = getattr(client, row.method.lower())
    if row.json:
        response = send(url, data=json.dumps(data), content_type="application/json")
    else:
        response = send(url, data=data or {})
    assert response.status_code == expected, (
        f"{row.label} as {persona}: {response.status_code} {response.content[:300]!r}"
    )
    if url.startswith("/api/") and response.status_code >= 400:
        body = response.json()
        assert body["errorCode"] == {401: "E0000011", 403: "E0000006", 404: "E0000007"}.get(
            response.status_code, body["errorCode"]
        )
