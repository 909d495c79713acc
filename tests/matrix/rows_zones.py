from tests.matrix.rows import TOKEN_CREATORS, Row, api, console
from tests.zones.factories import ZoneFactory, cidr
from zones.models import ZoneStatus

MANAGERS = ["super", "org"]


def _zone():
    return {"zone_id": ZoneFactory().id}


def _inactive_zone():
    return {"zone_id": ZoneFactory(status=ZoneStatus.INACTIVE).id}


NEW_ZONE = {"name": "matrix zone", "type": "IP", "usage": "POLICY", "gateways": "192.0.2.0/24"}
NEW_ZONE_JSON = {"name": "matrix zone", "type": "IP", "gateways": [cidr("192.0.2.0/24")]}

ROWS = [
    Row("zones:list", console(TOKEN_CREATORS)),
    Row("zones:create", console(MANAGERS)),
    Row("zones:create", console(MANAGERS, ok=302), method="POST", data=NEW_ZONE),
    Row("zones:edit", console(MANAGERS), kwargs=_zone),
    Row("zones:edit", console(MANAGERS, ok=302), method="POST", kwargs=_zone, data=NEW_ZONE),
    Row("zones:activate", console(MANAGERS, ok=302), method="POST", kwargs=_inactive_zone),
    Row("zones:deactivate", console(MANAGERS, ok=302), method="POST", kwargs=_zone),
    Row("zones:delete", console(MANAGERS, ok=302), method="POST", kwargs=_inactive_zone),
    Row("zones_api:collection", api(TOKEN_CREATORS)),
    Row("zones_api:collection", api(MANAGERS), method="POST", data=NEW_ZONE_JSON, json=True),
    Row("zones_api:item", api(TOKEN_CREATORS), kwargs=_zone),
    Row("zones_api:item", api(MANAGERS), method="PUT", kwargs=_zone, data=NEW_ZONE_JSON, json=True),
    Row("zones_api:item", api(MANAGERS, ok=204), method="DELETE", kwargs=_inactive_zone),
    Row("zones_api:activate", api(MANAGERS), method="POST", kwargs=_inactive_zone),
    Row("zones_api:deactivate", api(MANAGERS), method="POST", kwargs=_zone),
]
