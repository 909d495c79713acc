"""Rows of the permission matrix: for each URL name and method, the status
every persona gets. Each app keeps its rows in `tests/matrix/rows_<app>.py`
(a list called ROWS); test_matrix.py collects them all."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import PERSONAS

ADMINS = ["super", "org", "user_admin", "membership", "read_only", "help_desk", "app"]
TOKEN_CREATORS = ["super", "org", "user_admin", "membership", "read_only"]


@dataclass
class Row:
    name: str  # namespaced URL name, e.g. "accounts:people"
    expect: dict[str, int]
    method: str = "GET"
    kwargs: Callable[[], dict] | dict = field(default_factory=dict)
    data: Callable[[], Any] | Any = None
    json: bool = False  # send `data` as a JSON body

    @property
    def label(self) -> str:
        return f"{self.method} {self.name}"


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
