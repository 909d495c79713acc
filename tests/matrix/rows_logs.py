from syslog.events import Party, record
from tests.matrix.rows import Row, api, console

READERS = ["super", "org", "read_only"]


def _event():
    return {"uuid": record("zone.create", actor=Party("00uX", "User", "x@example.com", "X")).uuid}


ROWS = [
    Row("logs:list", console(READERS)),
    Row("logs:export", console(READERS)),
    Row("logs:detail", console(READERS), kwargs=_event),
    Row("logs:event_body", console(READERS), kwargs=_event),  # a row's body, fetched when it opens
    Row("logs_api:logs", api(READERS)),
    Row("logs_api:events", api(READERS)),  # the v1 Events API: the same readers as the System Log
]
