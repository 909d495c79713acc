from datetime import timedelta

from django.utils import timezone

from accounts.roles import RoleType
from ratelimits.models import RateLimitException
from tests.accounts.factories import UserFactory
from tests.matrix.rows import Row, console

VIEWERS = ["super", "org", "read_only"]
REQUESTERS = ["super", "org"]
START = timezone.now() + timedelta(days=30)
NEW_EXCEPTION = {
    "org_name": "Matrix",
    "group": "default",
    "requested_limit": 20_000,
    "starts_at": START.strftime("%Y-%m-%dT%H:%M"),
    "ends_at": (START + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
    "justification": "Import",
}


def _pending():
    requester = UserFactory(roles=[RoleType.ORG_ADMIN])
    exc = RateLimitException.objects.create(
        org_name="Matrix",
        group="default",
        requested_limit=20_000,
        starts_at=START,
        ends_at=START + timedelta(days=1),
        justification="Import",
        requested_by=requester,
    )
    return {"exc_id": exc.id}


ROWS = [
    Row("ratelimits:overview", console(VIEWERS)),
    Row("ratelimits:overview", console(REQUESTERS, ok=302), method="POST", data=NEW_EXCEPTION),
    Row("ratelimits:approve", console(["super"], ok=302), method="POST", kwargs=_pending),
    Row("ratelimits:decline", console(["super"], ok=302), method="POST", kwargs=_pending),
]
