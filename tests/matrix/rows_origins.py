from origins.models import OriginStatus
from tests.matrix.rows import Row, api, console
from tests.origins.factories import OriginFactory

VIEWERS = ["super", "org", "read_only"]  # Perm.ORIGIN_VIEW
MANAGERS = ["super", "org"]  # Perm.ORIGIN_MANAGE


def _origin():
    return {"origin_id": OriginFactory().id}


def _inactive_origin():
    return {"origin_id": OriginFactory(status=OriginStatus.INACTIVE).id}


NEW_ORIGIN = {"name": "matrix origin", "origin": "https://matrix.example.com", "cors": "on"}
NEW_ORIGIN_JSON = {"name": "matrix origin", "origin": "https://matrix.example.com", "scopes": [{"type": "CORS"}]}

ROWS = [
    Row("origins:list", console(VIEWERS)),
    Row("origins:create", console(MANAGERS)),
    Row("origins:create", console(MANAGERS, ok=302), method="POST", data=NEW_ORIGIN),
    Row("origins:edit", console(MANAGERS), kwargs=_origin),
    Row("origins:edit", console(MANAGERS, ok=302), method="POST", kwargs=_origin, data=NEW_ORIGIN),
    Row("origins:activate", console(MANAGERS, ok=302), method="POST", kwargs=_inactive_origin),
    Row("origins:deactivate", console(MANAGERS, ok=302), method="POST", kwargs=_origin),
    Row("origins:delete", console(MANAGERS, ok=302), method="POST", kwargs=_origin),
    Row("origins_api:collection", api(VIEWERS)),
    Row("origins_api:collection", api(MANAGERS), method="POST", data=NEW_ORIGIN_JSON, json=True),
    Row("origins_api:item", api(VIEWERS), kwargs=_origin),
    Row("origins_api:item", api(MANAGERS), method="PUT", kwargs=_origin, data=NEW_ORIGIN_JSON, json=True),
    Row("origins_api:item", api(MANAGERS, ok=204), method="DELETE", kwargs=_origin),
    Row("origins_api:activate", api(MANAGERS), method="POST", kwargs=_inactive_origin),
    Row("origins_api:deactivate", api(MANAGERS), method="POST", kwargs=_origin),
]
