"""The org authorization server's endpoints: public (no session, no SSWS), each persona the same answer. The
token, revoke and introspect endpoints authenticate the client by its assertion: an empty form is refused with
Okta's OAuth errors (400 invalid_request, 401 invalid_client) whoever sends it."""

from oauth import services
from tests.conftest import PERSONAS
from tests.matrix.rows import ADMINS, Row, console

VIEWERS = ["super", "org", "read_only", "app"]
MANAGERS = ["super"]


def _app():
    return {"app_id": services.app_create(name="matrix app").id}


def _inactive_app():
    app = services.app_create(name="matrix inactive app")
    services.app_deactivate(app=app)
    return {"app_id": app.id}


def _action(action: str, inactive: bool = False):
    def kwargs():
        return {**(_inactive_app() if inactive else _app()), "action": action}

    return kwargs


def _with_key(action: str):
    """An app with one key (inactive for activate/delete); the form names it."""
    made = {}

    def kwargs():
        app = services.app_create(name="matrix key app")
        key, _ = services.key_generate(app=app)
        if action != "key-deactivate":
            services.key_set_status(key=key, status="INACTIVE")
        made["key_id"] = key.pk
        return {"app_id": app.id, "action": action}

    return kwargs, lambda: {"key_id": made["key_id"]}


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


ROWS = [
    Row("oauth:token", everyone(400), method="POST", data={"grant_type": ""}),
    Row("oauth:token", everyone(405)),
    Row("oauth:keys", everyone(200)),
    Row("oauth:revoke", everyone(400), method="POST", data={"x": "1"}),
    Row("oauth:introspect", everyone(400), method="POST", data={"x": "1"}),
    Row("oauth:metadata", everyone(200)),
    Row("oauth:apps", console(VIEWERS)),
    Row("oauth:guide", console(ADMINS)),
    Row("oauth:app_create", console(MANAGERS)),
    Row("oauth:app_create", console(MANAGERS, ok=302), method="POST", data={"name": "matrix app"}),
    Row("oauth:app", console(VIEWERS), kwargs=_app),
    Row("oauth:app_action", console(MANAGERS, ok=302), method="POST", kwargs=_action("deactivate")),
    Row("oauth:app_action", console(MANAGERS, ok=302), method="POST", kwargs=_action("activate", inactive=True)),
    Row("oauth:app_action", console(MANAGERS, ok=302), method="POST", kwargs=_action("delete", inactive=True)),
    Row(
        "oauth:app_action",
        console(MANAGERS, ok=302),
        method="POST",
        kwargs=_action("dpop"),
        data={"require_dpop": "on"},
    ),
    Row("oauth:app_action", console(MANAGERS), method="POST", kwargs=_action("generate-key")),  # the key, once
    Row("oauth:app_action", console(MANAGERS, ok=400), method="POST", kwargs=_action("add-key"), data={"key": "x"}),
    Row(
        "oauth:app_action",
        console(MANAGERS, ok=302),
        method="POST",
        kwargs=_action("grant-scope"),
        data={"scope": "okta.logs.read"},
    ),
    Row(
        "oauth:app_action",
        console(MANAGERS, ok=302),
        method="POST",
        kwargs=_action("assign-role"),
        data={"role_type": "READ_ONLY_ADMIN"},
    ),
    Row(
        "oauth:app_action",
        console(MANAGERS, ok=302),
        method="POST",
        kwargs=_action("revoke-scope"),
        data={"scope": "okta.logs.read"},
    ),  # not granted: refused with a message, still a redirect
    Row(
        "oauth:app_action",
        console(MANAGERS, ok=302),
        method="POST",
        kwargs=_action("unassign-role"),
        data={"role_type": "READ_ONLY_ADMIN"},
    ),
    *[
        Row("oauth:app_action", console(MANAGERS, ok=302), method="POST", kwargs=kw, data=data)
        for kw, data in (_with_key(a) for a in ("key-deactivate", "key-activate", "key-delete"))
    ],
]
