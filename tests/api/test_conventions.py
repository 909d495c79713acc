"""The /api/v1 wire conventions every endpoint shares (docs/okta-contract.md §1)."""

import json
import re

import pytest
from django.test import RequestFactory

from api.bodies import parse_json_body
from api.errors import ApiError
from api.middleware import RequestContext
from api.pagination import paginate
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
ERROR_KEYS = {"errorCode", "errorSummary", "errorLink", "errorId", "errorCauses"}


def assert_okta_error(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert set(body) == ERROR_KEYS
    assert body["errorCode"] == code == body["errorLink"]
    assert re.fullmatch(r"oae[\w-]{22}", body["errorId"])
    assert isinstance(body["errorCauses"], list)
    return body


def test_unknown_api_path_is_okta_json_not_html(super_client):
    assert_okta_error(super_client.get("/api/v1/nothing-here"), 404, "E0000008")


def test_unsupported_method_is_e0000022_with_allow(super_client):
    response = super_client.delete("/api/v1/org")
    assert_okta_error(response, 405, "E0000022")
    assert "GET" in response["Allow"]


def test_anonymous_gets_e0000011(client):
    body = assert_okta_error(client.get("/api/v1/users/me"), 401, "E0000011")
    assert body["errorSummary"] == "Invalid token provided"


def test_non_admin_gets_e0000006(client):
    client.force_login(UserFactory())
    assert_okta_error(client.get("/api/v1/users/me"), 403, "E0000006")


def test_every_response_carries_a_request_id(client, super_client):
    for response in (client.get("/api/v1/org"), super_client.get("/api/v1/org"), client.get("/signin")):
        assert re.fullmatch(r"[0-9a-f]{32}", response["X-Okta-Request-Id"])


def test_trailing_slash_answers_like_the_bare_path(super_client):
    bare, slashed = super_client.get("/api/v1/users/me"), super_client.get("/api/v1/users/me/")
    assert bare.status_code == slashed.status_code == 200
    assert bare.json()["id"] == slashed.json()["id"]


def test_user_lookup_by_id_login_and_me(super_client, super_admin):
    other = UserFactory(login="lookup@example.com")
    assert super_client.get(f"/api/v1/users/{other.id}").json()["profile"]["login"] == "lookup@example.com"
    assert super_client.get("/api/v1/users/lookup@example.com").json()["id"] == other.id
    me = super_client.get("/api/v1/users/me").json()
    assert me["id"] == super_admin.id and me["status"] == "ACTIVE"
    assert me["_links"]["self"]["href"] == f"http://testserver/api/v1/users/{super_admin.id}"
    body = assert_okta_error(super_client.get("/api/v1/users/00uNOPE"), 404, "E0000007")
    assert body["errorSummary"] == "Not found: Resource not found: 00uNOPE (User)"


def test_roles_use_okta_role_types(super_client, super_admin):
    roles = super_client.get("/api/v1/users/me/roles").json()
    assert [(r["type"], r["label"], r["assignmentType"]) for r in roles] == [
        ("SUPER_ADMIN", "Super Administrator", "USER")
    ]


def test_session_writes_need_csrf_but_token_writes_do_not(super_admin):
    from django.http import HttpResponse

    from api.decorators import api_view

    @api_view(["POST"])
    def write(request):
        return HttpResponse(status=204)

    request = RequestFactory().post("/api/v1/thing", data="{}", content_type="application/json")
    request.user, request.api_token = super_admin, None
    assert_okta_error(write(request), 403, "E0000006")
    request = RequestFactory().post("/api/v1/thing", data="{}", content_type="application/json")
    request.user, request.api_token = super_admin, object()  # authenticated by SSWS: no ambient credential
    assert write(request).status_code == 204


def test_malformed_json_is_e0000003():
    for raw in (b"{not json", b"[1, 2]", b"\xff\xfe"):
        request = RequestFactory().post("/api/v1/x", data=raw, content_type="application/json")
        with pytest.raises(ApiError) as caught:
            parse_json_body(request)
        assert caught.value.code == "E0000003"


def test_oversized_body_is_refused(settings):
    settings.API_MAX_BODY_BYTES = 10
    request = RequestFactory().post("/api/v1/x", data=b'{"name": "far too long"}', content_type="application/json")
    with pytest.raises(ApiError):
        parse_json_body(request)


def test_unhandled_exception_under_api_is_e0000009():
    request = RequestFactory().get("/api/v1/org")
    middleware = RequestContext(lambda r: None)
    assert_okta_error(middleware.process_exception(request, RuntimeError("boom")), 500, "E0000009")


def test_pagination_links_repeat_every_parameter_and_walk_all_pages():
    users = sorted(UserFactory.create_batch(5), key=lambda u: u.id)
    from accounts.models import User

    seen, url = [], "/api/v1/users?limit=2&q=a%2Cb"
    while url:
        request = RequestFactory().get(url)
        response = paginate(request, User.objects.all(), lambda u: u.id)
        seen += json.loads(response.content)
        rels = dict(re.fullmatch(r'<(.+)>; rel="(\w+)"', h).groups()[::-1] for h in response.link_headers)
        assert rels["self"].startswith("http://testserver/api/v1/users?")
        url = rels.get("next")
        if url:
            assert "limit=2" in url and "q=a%2Cb" in url and "after=" in url
            url = url.replace("http://testserver", "")
    assert seen == [u.id for u in users]
    assert response.link_headers[-1].endswith('rel="self"')  # the last page has no next


def test_link_headers_are_separate_lines_with_next_last():
    from api.http import OktaJsonResponse

    response = OktaJsonResponse([], links=[("self", "http://h/a"), ("next", "http://h/a?after=x")])
    links = [value for name, value in response.items() if name == "Link"]
    assert links == ['<http://h/a>; rel="self"', '<http://h/a?after=x>; rel="next"']


def test_limit_must_be_a_positive_integer():
    from accounts.models import User

    for bad in ("abc", "0", "-5"):
        request = RequestFactory().get(f"/api/v1/users?limit={bad}")
        with pytest.raises(ApiError) as caught:
            paginate(request, User.objects.all(), str)
        assert caught.value.code == "E0000001"


def test_healthz_needs_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
