"""Shared fixtures: personas (one per admin role, a non-admin and anonymous)
and a signed-in client per persona."""

import os

import pytest
from django.core.cache import cache
from django.db.backends.signals import connection_created
from django.test import Client

import process_caches
from accounts.roles import RoleType
from tests.accounts.factories import UserFactory

# Playwright's sync API runs an event loop in this thread; Django refuses ORM
# calls from such threads unless told the caller knows what it is doing.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PERSONA_ROLES: dict[str, RoleType | None] = {
    "super": RoleType.SUPER_ADMIN,
    "org": RoleType.ORG_ADMIN,
    "user_admin": RoleType.USER_ADMIN,
    "membership": RoleType.GROUP_MEMBERSHIP_ADMIN,
    "read_only": RoleType.READ_ONLY_ADMIN,
    "help_desk": RoleType.HELP_DESK_ADMIN,
    "app": RoleType.APP_ADMIN,
    "non_admin": None,
}
PERSONAS = [*PERSONA_ROLES, "anonymous"]


def _allow_test_flush(sender, connection, **kwargs):
    """Transactional tests empty tables with TRUNCATE, which the System Log's
    append-only trigger refuses unless the connection says it is a test's. The trigger
    honours this only for the tables' owner in a `test_…` database (docs/decisions/20):
    production's application role cannot use it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET warden.syslog_allow_truncate = 'on'")


connection_created.connect(_allow_test_flush)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and refusal windows must not leak between tests, and each test
    starts with every process cache empty (zone index, trusted-origin lists, token
    snapshots, rate-limit policy memo): nothing an earlier test left in memory is seen,
    and no cache's age limit can fall due in the middle of a test's counted block."""
    process_caches.reset_all()
    cache.clear()
    yield
    cache.clear()


def make_persona(name: str):
    if name == "anonymous":
        return None
    role = PERSONA_ROLES[name]
    return UserFactory(login=f"{name}@example.com", roles=[role] if role else [])


@pytest.fixture
def persona_user():
    return make_persona


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def super_admin(db):
    return make_persona("super")


@pytest.fixture
def super_client(super_admin) -> Client:
    return client_for(super_admin)
