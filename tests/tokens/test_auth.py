"""The authentication unit alone (tokens/auth.py): a header and a client IP in, a typed decision out."""

import pytest

from accounts.roles import RoleType, UserStatus
from tests.accounts.factories import UserFactory
from tests.tokens.factories import issue_token
from tests.zones.factories import ZoneFactory, cidr
from tokens import auth, services, values
from tokens.models import Agent, AgentType
from tokens.snapshots import snapshots

pytestmark = pytest.mark.django_db


def header(value: str) -> str:
    return f"SSWS {value}"


def test_a_first_request_is_accepted_from_the_database_then_from_its_snapshot():
    token, value = issue_token()
    first = auth.authenticate(header(value), "192.0.2.1")
    assert isinstance(first, auth.Accepted) and first.source is auth.Source.DATABASE
    assert (first.token, first.owner, first.roles) == (token, token.owner, frozenset({RoleType.SUPER_ADMIN}))
    assert first.epoch is not None
    second = auth.authenticate(header(value), "192.0.2.1")
    assert isinstance(second, auth.Accepted) and second.source is auth.Source.SNAPSHOT
    assert second.token.pk == token.pk and second.epoch == first.epoch


@pytest.mark.parametrize("value", ["", "not a token", "0" * 42 + "\x00", "x" * 10_000])
def test_malformed_credentials_are_refused_before_any_query(value, django_assert_num_queries):
    with django_assert_num_queries(0):
        decision = auth.authenticate(header(value), "192.0.2.1")
    assert isinstance(decision, auth.Refused) and decision.reason is auth.Reason.MALFORMED
    assert (decision.status, decision.error, decision.token) == (401, "E0000011", None)


def test_unknown_revoked_and_inactive_owners_are_one_refusal():
    token, value = issue_token()
    unknown = values.generate()  # well formed (its checksum holds) but never issued
    services.token_revoke(token=token)
    inactive_owner = UserFactory(roles=[RoleType.SUPER_ADMIN], status=UserStatus.SUSPENDED)
    _, of_inactive = issue_token(owner=inactive_owner)
    for candidate in (value, unknown, of_inactive):
        decision = auth.authenticate(header(candidate), "192.0.2.1")
        assert isinstance(decision, auth.Refused) and decision.reason is auth.Reason.UNUSABLE
        assert (decision.status, decision.error, decision.token) == (401, "E0000011", None)


def test_agent_tokens_and_requests_from_outside_the_zones_are_403_with_the_token_known():
    admin = UserFactory(roles=[RoleType.SUPER_ADMIN])
    agent = Agent.objects.create(type=AgentType.LDAP, name="ldap", host="dc1.test")
    _, agent_value = services.agent_activate(agent=agent, by=admin)
    decision = auth.authenticate(header(agent_value), "192.0.2.1")
    assert isinstance(decision, auth.Refused) and decision.reason is auth.Reason.AGENT
    assert (decision.status, decision.error, decision.token.agent_id) == (403, "E0000006", agent.pk)

    office = ZoneFactory(gateways=[cidr("198.51.100.0/24")])
    token, value = issue_token(network={"connection": "ZONE", "include": [office.id]})
    assert isinstance(auth.authenticate(header(value), "198.51.100.7"), auth.Accepted)
    decision = auth.authenticate(header(value), "192.0.2.1")
    assert isinstance(decision, auth.Refused) and decision.reason is auth.Reason.OUTSIDE
    assert (decision.status, decision.token) == (403, token)


def test_a_refusal_is_never_decided_on_a_snapshot(django_assert_num_queries):
    office = ZoneFactory(gateways=[cidr("198.51.100.0/24")])
    _, value = issue_token(network={"connection": "ZONE", "include": [office.id]})
    auth.authenticate(header(value), "198.51.100.7")  # snapshot kept
    with django_assert_num_queries(1):  # the snapshot would refuse: decided again from the database
        decision = auth.authenticate(header(value), "192.0.2.1")
    assert decision.reason is auth.Reason.OUTSIDE


def test_recheck_reads_the_database_and_sees_a_revocation():
    token, value = issue_token()
    auth.authenticate(header(value), "192.0.2.1")
    from_snapshot = auth.authenticate(header(value), "192.0.2.1")
    assert from_snapshot.source is auth.Source.SNAPSHOT
    services.token_revoke(token=token)
    decision = auth.recheck(from_snapshot, "192.0.2.1")
    assert isinstance(decision, auth.Refused) and decision.reason is auth.Reason.UNUSABLE
    assert snapshots.get(from_snapshot.digest) is None  # and the snapshot is gone


def test_an_agents_token_is_refused_for_privilege_only_within_its_network():
    """AGENT is decided last: an agent token from outside its zones is OUTSIDE (its request is not
    the agent's use of it), and the four reasons are distinct members, not aliases of one another."""
    assert len({reason.name for reason in auth.Reason}) == len(list(auth.Reason)) == 4
    admin = UserFactory(roles=[RoleType.SUPER_ADMIN])
    agent = Agent.objects.create(type=AgentType.LDAP, name="ldap", host="dc1.test")
    _, value = services.agent_activate(agent=agent, by=admin)
    office = ZoneFactory(gateways=[cidr("198.51.100.0/24")])
    services.token_update_network(token=agent.tokens.get(), network={"connection": "ZONE", "include": [office.id]})
    assert auth.authenticate(header(value), "198.51.100.7").reason is auth.Reason.AGENT
    assert auth.authenticate(header(value), "192.0.2.1").reason is auth.Reason.OUTSIDE


@pytest.mark.parametrize(
    ("reason", "status", "renews"),
    [
        (None, 200, True),
        (None, 404, True),
        (None, 403, False),
        (None, 429, False),
        (auth.Reason.AGENT, 403, True),
        (auth.Reason.AGENT, 429, False),
        (auth.Reason.OUTSIDE, 403, False),
        (auth.Reason.UNUSABLE, 401, False),
    ],
)
def test_which_answers_count_as_use(reason, status, renews):
    token, _ = issue_token()
    decision = auth.Accepted(token, None, auth.Source.DATABASE, "d") if reason is None else auth.Refused(reason, token)
    assert (auth.renews(decision, status) is token) is renews
    assert auth.renews(None, 200) is None
