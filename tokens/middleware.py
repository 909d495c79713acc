"""Pipeline step 4: SSWS authentication under /api/ (DESIGN.md; decisions 1, 3, 4).

One indexed query finds the token by the SHA-256 of its value with its owner,
its agent and the owner's current roles (aggregated in a subquery, so roles
are read live without a second query). A process keeps what it accepted as a
snapshot (tokens/snapshots.py) that the rate limiter validates against the shared
authorization epoch in its own Redis round trip, so in steady state a request makes
no database query at all and still sees every change on its very next request. Every failure answers the
same 401 E0000011, so the response says nothing about why. A request from
outside the token's zones is 403 E0000006 and a (rate-limited) System Log event;
that 403 (and an agent token's) is answered by the rate limiter, so it is counted
and carries X-Rate-Limit headers like every other API response.

Renewal (decision 4) happens on the way out, only when the request passed
authentication, the network check and the rate limiter (which answers 429
from inside this middleware's get_response): the row is written at most once
a minute per token, by a conditional UPDATE, never on every request."""

import re
import threading
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
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
from tokens import snapshots, values
from tokens.models import TOKEN_WINDOW, ApiToken, TokenStatus
from tokens.network import network_allows

SSWS = re.compile(r"[Ss][Ss][Ww][Ss] *(?P<value>.*)")  # decision 1: any case, zero or more spaces
RENEW_EVERY = timedelta(minutes=1)
UNAUTHENTICATED, AGENT, OUTSIDE = "unauthenticated", "agent", "outside"

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


def find_token(digest: str) -> ApiToken | None:
    connection.ensure_connection()
    lookup = _CompiledLookup.instance.get()
    params = list(lookup.params)
    params[lookup.digest_at] = digest
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


def refusal(token: ApiToken | None, ip: str | None) -> str | None:
    """Why this request may not use this token (no side effects), or None."""
    if token is None or not token.is_usable() or token.owner.status != UserStatus.ACTIVE:
        return UNAUTHENTICATED
    if token.agent_id is not None:
        return AGENT  # decision 7: agent tokens have no Management API privilege
    if not network_allows(token.network, ip):
        return OUTSIDE
    return None


def load(request: HttpRequest) -> str | None:
    """Decide from the database, keep a snapshot when accepted; returns the refusal."""
    epoch = snapshots.current_epoch()  # read before the row: a change committed in between shows as stale later
    token = find_token(request.auth_digest)
    why = refusal(token, getattr(request, "client_ip", None))
    if why is None:
        snapshots.keep(request.auth_digest, token, epoch)
    else:
        snapshots.forget(request.auth_digest)
    if why != UNAUTHENTICATED:  # accepted, or refused with 403 and still counted against the token
        request.user, request.api_token = token.owner, token
    request.auth_epoch, request.auth_from_snapshot = epoch, False
    return why


def refuse(request: HttpRequest, why: str) -> HttpResponse:
    if why == UNAUTHENTICATED:
        request.user, request.api_token = AnonymousUser(), None  # a snapshot may have set them
        return json_error("E0000011")  # the same body whatever the cause
    if why == OUTSIDE:
        token = request.api_token
        record_refusal("token-network", token.id, "system.api_token.request_outside_allowed_range",
                       request=request, actor=token.owner, targets=[token], outcome="DENY",
                       reason="Request from outside the token's allowed network zones")
    return json_error("E0000006")


def revalidate(request: HttpRequest) -> HttpResponse | None:
    """The rate-limit script found the snapshot's epoch stale (or could not run): decide again
    from the database. Returns the refusal, if any; a 401 also clears `request.api_token`."""
    why = load(request)
    return None if why is None else refuse(request, why)


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
    # Whether this UPDATE or another process's renewed the row, it is fresh for a minute: the
    # snapshot (if this token is one) must not send the UPDATE again on every request meanwhile.
    for field, value in changes.items():
        setattr(token, field, value)


class SSWSAuthentication:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.api_token = None
        header = request.META.get("HTTP_AUTHORIZATION")
        if header is None or not is_api(request):
            return self.get_response(request)  # console, or API by session
        match = SSWS.fullmatch(header)
        if match is None or not values.well_formed(match["value"]):
            return json_error("E0000011")  # refused before any query
        request.auth_digest = values.digest(match["value"])
        snapshot = snapshots.get(request.auth_digest)
        if snapshot is not None and refusal(snapshot.token, getattr(request, "client_ip", None)) is None:
            # Accepted on a snapshot: the rate limiter checks its epoch in its own round trip.
            request.user, request.api_token = snapshot.token.owner, snapshot.token
            request.auth_epoch, request.auth_from_snapshot = snapshot.epoch, True
        else:
            why = load(request)  # never refuse on a snapshot: its expiry may have been renewed elsewhere
            if why == UNAUTHENTICATED:
                return refuse(request, why)
            if why is not None:  # 403: the rate limiter counts it and answers it with its headers
                request.auth_refusal = refuse(request, why)
        response = self.get_response(request)
        if response.status_code not in (401, 403, 429) and request.api_token is not None:
            renew(request.api_token)
        return response
