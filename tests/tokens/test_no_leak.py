"""Token values never reach the database or the logs. Tokens are issued through
the console, the CLI and the demo; traffic uses them (successes and failures);
then every column of every table and every captured log record is searched."""

import io
import logging
import re

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.roles import RoleType
from tests.accounts.factories import UserFactory
from tests.tokens.factories import ssws

pytestmark = pytest.mark.django_db(transaction=True)
VALUE = re.compile(r"00[0-9A-Za-z]{40}")


def every_stored_text() -> str:
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from introspection
            chunks += [repr(row) for row in cursor.fetchall()]
    return "\n".join(chunks)


def test_no_token_value_is_stored_or_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True  # log every SQL statement with its parameters
    try:
        admin = UserFactory(login="ada@example.com", roles=[RoleType.SUPER_ADMIN])
        client.force_login(admin)
        console = client.post("/security/api/tokens/new", {"name": "console", "connection": "ANYWHERE"})
        values = VALUE.findall(console.content.decode())
        out = io.StringIO()
        call_command("token_create", "ada@example.com", "cli", stdout=out, stderr=io.StringIO())
        values.append(out.getvalue().strip())
        call_command("load_demo", stdout=io.StringIO())
        assert len(set(values)) == 2 and all(VALUE.fullmatch(v) for v in values)

        client.logout()
        for value in values:
            assert client.get("/api/v1/users/me", **ssws(value)).status_code == 200
            client.get("/api/v1/nowhere", **ssws(value))
            client.put("/api/v1/api-tokens/00Tnope", "{bad json", content_type="application/json", **ssws(value))
            client.get("/api/v1/users/me", HTTP_AUTHORIZATION=f"SSWS {value[:-1]}x")  # a near miss
        assert client.delete("/api/v1/api-tokens/current", **ssws(values[0])).status_code == 204
        assert client.get("/api/v1/users/me", **ssws(values[0])).status_code == 401
    finally:
        connection.force_debug_cursor = False

    stored = every_stored_text()
    logged = "\n".join(record.getMessage() + repr(record.args) for record in caplog.records)
    assert "SELECT" in logged  # the SQL log really was captured
    for value in values:
        assert value not in stored
        assert value not in logged
        assert value[:-1] + "x" not in stored  # nor the near miss
