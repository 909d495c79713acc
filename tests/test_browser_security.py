"""Browser-facing security: CSP without inline scripts or eval, framing,
referrer and opener policies, cookie flags, CSRF on console forms."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import RoleType
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_console_pages_carry_a_strict_csp(super_client):
    response = super_client.get(reverse("accounts:people"))
    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    for sources in directives.values():
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources


def test_console_html_has_no_inline_scripts_or_handlers(super_client):
    html = super_client.get(reverse("accounts:people")).content.decode()
    assert "<script>" not in html and "<script type" not in html
    for handler in (" onclick=", " onload=", " onsubmit=", " onchange=", "javascript:"):
        assert handler not in html
    assert '"allowEval": false' in html  # htmx configured for a CSP without eval


def test_framing_referrer_and_opener_policies(client):
    response = client.get(reverse("accounts:signin"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_httponly_and_secure_over_https(settings):
    settings.SESSION_COOKIE_SECURE = True  # what HTTPS=true sets in production
    UserFactory(login="ada@example.com", roles=[RoleType.SUPER_ADMIN])
    response = Client().post(
        reverse("accounts:signin"), {"username": "ada@example.com", "password": PASSWORD}, secure=True
    )
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["secure"]
    assert cookie["max-age"] == settings.SESSION_COOKIE_AGE  # idle timeout, renewed per request


def test_console_form_without_csrf_token_is_refused():
    admin = UserFactory(roles=[RoleType.SUPER_ADMIN])
    target = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    response = client.post(reverse("accounts:person_deactivate", args=[target.id]))
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.is_active


def test_htmx_request_with_csrf_header_is_accepted():
    admin = UserFactory(roles=[RoleType.SUPER_ADMIN])
    target = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    client.get(reverse("accounts:people"))  # sets the CSRF cookie, as a page load does
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("accounts:person_deactivate", args=[target.id]), HTTP_X_CSRFTOKEN=token, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_active
