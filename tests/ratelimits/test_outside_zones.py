"""Issue 16 point 2: a request refused for coming from outside its token's zones is counted in the per-address
bucket for unauthenticated traffic, never in the token's, its owner's or the org's (docs/decisions/09)."""

import pytest

from tests.ratelimits.test_limits import after_window_start, headers
from tests.tokens.factories import issue_token, ssws
from zones.models import NetworkZone

pytestmark = pytest.mark.django_db
URL = "/api/v1/org"
OFFICE_IP, HOME_IP = "198.51.100.7", "203.0.113.9"


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS = {"logs": 6, "default": 10}
    settings.RATE_LIMIT_WINDOW_SECONDS = 2
    settings.RATE_LIMIT_UNAUTHENTICATED = "4/m"
    return settings


def test_an_out_of_zone_flood_does_not_touch_the_tokens_or_the_orgs_buckets(client, limits):
    office = NetworkZone.objects.create(name="Office", gateways=[{"type": "CIDR", "value": "198.51.100.0/24"}])
    _, value = issue_token(network={"connection": "ZONE", "include": [office.id]}, rate_limit_percent=100)
    after_window_start(2)
    flood = [client.get(URL, REMOTE_ADDR=HOME_IP, **ssws(value)) for _ in range(6)]
    assert [r.status_code for r in flood] == [403] * 4 + [429] * 2
    assert [headers(r)[:2] for r in flood[:5]] == [(4, 3), (4, 2), (4, 1), (4, 0), (4, 0)]  # the address's bucket
    assert flood[0].json()["errorCode"] == "E0000006"
    inside = client.get(URL, REMOTE_ADDR=OFFICE_IP, **ssws(value))
    assert inside.status_code == 200 and headers(inside)[:2] == (10, 9)  # token, owner and org: untouched
