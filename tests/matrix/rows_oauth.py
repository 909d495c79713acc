"""The org authorization server's endpoints: public (no session, no SSWS), each persona the same answer. The
token, revoke and introspect endpoints authenticate the client by its assertion: an empty form is refused with
Okta's OAuth errors (400 invalid_request, 401 invalid_client) whoever sends it."""

from tests.conftest import PERSONAS
from tests.matrix.rows import Row


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


ROWS = [
    Row("oauth:token", everyone(400), method="POST", data={"grant_type": ""}),
    Row("oauth:token", everyone(405)),
    Row("oauth:keys", everyone(200)),
    Row("oauth:revoke", everyone(400), method="POST", data={"x": "1"}),
    Row("oauth:introspect", everyone(400), method="POST", data={"x": "1"}),
    Row("oauth:metadata", everyone(200)),
]
