"""Rows of the permission matrix: for each URL name and method, the status
every persona gets. Each app keeps its rows in `tests/matrix/rows_<app>.py`
(a list called ROWS); test_matrix.py collects them all.

Token personas (`token_<role>`: an SSWS token whose owner holds that role) are
derived, not written out, because docs/permissions.md derives them: a token acts with its
owner's current roles, a read-only admin's token is GET-only, and the console
never reads SSWS (a token there is nobody). `Row.token_expect` overrides the
derivation where a row differs, with a comment saying why."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import PERSONA_ROLES, PERSONAS

ADMINS = ["super", "org", "user_admin", "membership", "read_only", "help_desk", "app"]
TOKEN_CREATORS = ["super", "org", "user_admin", "membership", "read_only"]
TOKEN_PERSONAS = [f"token_{role}" for role in PERSONA_ROLES]
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def for_actor(build: Callable) -> Callable:
    """Mark a `kwargs`/`data` builder that needs the persona making the request (its User, or
    None for anonymous), e.g. to act on the persona's own token."""
    build.wants_actor = True
    return build


def build(value: Any, actor) -> Any:
    if not callable(value):
        return value
    return value(actor) if getattr(value, "wants_actor", False) else value()


@dataclass
class Row:
    name: str  # namespaced URL name, e.g. "accounts:people"
    expect: dict[str, int]
    method: str = "GET"
    kwargs: Callable[[], dict] | dict = field(default_factory=dict)
    data: Callable[[], Any] | Any = None
    json: bool = False  # send `data` as a JSON body
    token_expect: dict[str, int] = field(default_factory=dict)  # by role persona, e.g. {"read_only": 204}

    @property
    def label(self) -> str:
        return f"{self.method} {self.name}"

    @property
    def is_api(self) -> bool:
        return self.name.split(":")[0].endswith("_api")

    def expect_for_token(self, persona: str) -> int:
        """What a request made with a token of `persona` (e.g. "token_org") gets."""
        role = persona.removeprefix("token_")
        if role in self.token_expect:
            return self.token_expect[role]
        if not self.is_api:
            return self.expect["anonymous"]
        status = self.expect[role]
        if role == "read_only" and self.method not in SAFE_METHODS and status < 400:
            return 403
        return status


def console(allowed: list[str], ok: int = 200, denied: int = 403, anonymous: int = 302) -> dict[str, int]:
    """A console page: allowed personas get `ok`, other signed-in ones `denied`, anonymous the sign-in redirect."""
    expect = {p: (ok if p in allowed else denied) for p in PERSONAS}
    expect["anonymous"] = anonymous
    return expect


def api(allowed: list[str], ok: int = 200, denied: int = 403) -> dict[str, int]:
    """An API endpoint: anonymous is 401 E0000011, non-holders 403 E0000006."""
    expect = {p: (ok if p in allowed else denied) for p in PERSONAS}
    expect["anonymous"] = 401
    return expect


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)
