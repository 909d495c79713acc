"""Where sign-in and sign-out may send people (`next` / `fromURI`): the
console itself, or an ACTIVE REDIRECT origin. Anything else is refused and
recorded (docs/decisions/10: at most once per minute per client IP)."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from api.middleware import client_ip
from origins import lists
from origins.parsing import try_normalise
from syslog.events import Party, record_refusal
from syslog.outcomes import Outcome


def _origin_of(target: str) -> str | None:
    if "://" not in target:
        return None
    scheme, rest = target.split("://", 1)
    for cut in "/?#":
        rest = rest.split(cut, 1)[0]
    return try_normalise(f"{scheme}://{rest}")


def is_allowed(request: HttpRequest, target: str) -> bool:
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return True
    if any(ch in target for ch in "\\\r\n\t") or any(ord(ch) < 32 for ch in target):
        return False
    origin = _origin_of(target)
    return origin is not None and lists.is_redirect_origin(origin)


def checked(request: HttpRequest, target: str | None) -> str | None:
    """`target` if sign-in/out may go there, else None (and the refusal recorded)."""
    if not target:
        return None
    if is_allowed(request, target):
        return target
    ip = client_ip(request)
    user = getattr(request, "user", None)
    record_refusal(
        "redirect",
        ip,
        "security.trusted_origin.redirect_refused",
        request=request,
        actor=user if getattr(user, "is_authenticated", False) else None,
        targets=[Party("unknown", "URL", target[:255], _origin_of(target) or target[:100])],
        outcome=Outcome.DENY,
        reason="Redirect target is not a trusted origin",
        debug={"redirectUri": target[:2000]},
    )
    return None


def leave_to(request: HttpRequest, target: str):
    """Where sign-out ends for a REDIRECT origin: a page that moves on by itself.

    Browsers apply CSP `form-action` to the redirect that follows a form POST,
    and the sign-out form sits on every console page whose policy says
    `form-action 'self'`; widening that on every page would cost a lookup per
    page. A fresh navigation from this page (meta refresh, or the link) is not
    a form submission, so the console's policy stays as strict as it is."""
    from django.shortcuts import render

    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return None  # the console itself: a plain redirect works
    return render(request, "origins/leaving.html", {"target": target})
