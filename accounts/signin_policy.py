"""Where sign-in and sign-out may send people (`next` / `fromURI`), how sign-out leaves for
another origin, and who may frame the sign-in page.

Sign-in belongs to accounts; the answers to these three questions belong to trusted origins
(docs/decisions/10 and 15), a higher layer. So origins registers its policy here from its
AppConfig.ready() (docs/decisions/18-enforced-layers.md). Until it does, the strictest policy
holds: only the console's own host, a plain redirect, no framing (the site-wide DENY)."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme


@dataclass(frozen=True)
class SignInPolicy:
    checked: Callable[[HttpRequest, str | None], str | None]  # the target if allowed, else None
    leave_to: Callable[[HttpRequest, str], HttpResponse | None]  # None: a plain redirect will do
    framable: Callable[[Callable], Callable]  # wraps the sign-in view


def _same_host(request: HttpRequest, target: str | None) -> str | None:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


STRICT = SignInPolicy(checked=_same_host, leave_to=lambda request, target: None, framable=lambda view: view)

_policy = STRICT


def register(policy: SignInPolicy) -> None:
    global _policy
    _policy = policy


def checked(request: HttpRequest, target: str | None) -> str | None:
    return _policy.checked(request, target)


def leave_to(request: HttpRequest, target: str) -> HttpResponse | None:
    return _policy.leave_to(request, target)


def framable(view):
    """Decorator: the policy is looked up per request, so registering it later still applies."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return _policy.framable(view)(request, *args, **kwargs)

    return wrapped
