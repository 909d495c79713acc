"""Pipeline step 4: SSWS authentication under /api/ (DESIGN.md; decisions 1, 3, 4).

One indexed query finds the token by the SHA-256 of its value with its owner,
its agent and the owner's current roles (aggregated in a subquery, so roles
are read live on every request without a second query). Every failure answers the
same 401 E0000011, so the response says nothing about why. A request from
outside the token's zones is 403 E0000006 and a (rate-limited) System Log event.

Renewal (decision 4) happens on the way out, only when the request passed
authentication, the network check and the rate limiter (which answers 429
from inside this middleware's get_response): the row is written at most once
a minute per token, by a conditional UPDATE, never on every request."""

import re
import threading
from datetime import timedelta

from django.db import connection
from django.db.models import Aggregate, CharField, OuterRef, Q, Subquery
from django.db.models.query import get_related_populators
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.models import RoleAssignment
from accounts.roles import UserStatus
from api.errors import json_error
from api.middleware import is_api
from syslog.events import record_refusal
from tokens import values
from tokens.models import TOKEN_WINDOW, ApiToken, TokenStatus
from tokens.network import network_allows

SSWS = re.compile(r"[Ss][Ss][Ww][Ss] *(?P<value>.*)")  # decision 1: any case, zero or more spaces
RENEW_EVERY = timedelta(minutes=1)
class RoleList(Aggregate):
    """The owner's role types as one comma-separated string, so roles come back in
    the token's own query (string_agg on PostgreSQL, group_concat on SQLite)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


OWNER_ROLES = Subquery(
    RoleAssignment.objects.filter(user=OuterRef("owner_id")).order_by().values("user")
    .annotate(roles=RoleList("role_type")).values("roles")[:1]
)


SENTINEL = "0" * 64


class _CompiledLookup(threading.local):
    """The token lookup compiled to SQL once per thread and connection.

    Compiling this ORM query (owner and agent joined, roles subquery) cost more
    than running it; every request runs the same statement with a new digest,
    so we keep the SQL and Django's own row-to-object machinery (the select
    list, converters and related populators) and only execute per request."""

    key = None

    def get(self):
        if self.key != id(connection.connection):
            query = (ApiToken.objects.select_related("owner", "agent").annotate(owner_roles=OWNER_ROLES)
                     .filter(digest=SENTINEL)[:1]).query
            self.compiler = query.get_compiler(using=connection.alias)
            self.sql, params = self.compiler.as_sql()
            self.digest_at = list(params).index(SENTINEL)
            self.params = list(params)
            select, klass_info = self.compiler.select, self.compiler.klass_info
            fields = klass_info["select_fields"]
            self.start, self.end = fields[0], fields[-1] + 1
            self.init_list = [f[0].target.attname for f in select[self.start:self.end]]
            self.populators = get_related_populators(klass_info, select, connection.alias)
            self.roles_at = self.compiler.annotation_col_map["owner_roles"]
            self.key = id(connection.connection)
        return self


def find_token(value: str) -> ApiToken | None:
    connection.ensure_connection()
    lookup = _CompiledLookup.instance.get()
    params = list(lookup.params)
    params[lookup.digest_at] = values.digest(value)
    with connection.cursor() as cursor:
        cursor.execute(lookup.sql, params)
        rows = cursor.fetchall()
    if not rows:
        return None
    row = next(iter(lookup.compiler.results_iter(results=[rows])))
    token = ApiToken.from_db(connection.alias, lookup.init_list, row[lookup.start:lookup.end])
    for populator in lookup.populators:
        populator.populate(row, token)
    token.owner._role_types = frozenset((row[lookup.roles_at] or "").split(",")) - {""}
    return token


_CompiledLookup.instance = _CompiledLookup()


def authenticate(header: str) -> ApiToken | None:
    match = SSWS.fullmatch(header)
    if match is None or not values.well_formed(match["value"]):
        return None  # refused before any query
    token = find_token(match["value"])
    if token is None or not token.is_usable() or token.owner.status != UserStatus.ACTIVE:
        return None
    return token


def renew(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used is not None and now - token.last_used < RENEW_EVERY:
        return
    changes = {"last_used": now, "last_updated": now}
    if token.agent_id is None or not token.agent.is_active:
        changes["expires_at"] = now + TOKEN_WINDOW
    ApiToken.objects.filter(pk=token.pk, status=TokenStatus.ACTIVE).filter(
        Q(last_used__isnull=True) | Q(last_used__lt=now - RENEW_EVERY)
    ).update(**changes)


class SSWSAuthentication:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.api_token = None
        header = request.META.get("HTTP_AUTHORIZATION")
        if header is None or not is_api(request):
            return self.get_response(request)  # console, or API by session
        token = authenticate(header)
        if token is None:
            return json_error("E0000011")
        request.user, request.api_token = token.owner, token
        if token.agent_id is not None:
            return json_error("E0000006")  # decision 7: agent tokens have no Management API privilege
        ip = getattr(request, "client_ip", None)
        if not network_allows(token.network, ip):
            record_refusal("token-network", token.id, "system.api_token.request_outside_allowed_range",
                           request=request, actor=token.owner, targets=[token], outcome="DENY",
                           reason="Request from outside the token's allowed network zones")
            return json_error("E0000006")
        response = self.get_response(request)
        if response.status_code not in (401, 403, 429):
            renew(token)
        return response
