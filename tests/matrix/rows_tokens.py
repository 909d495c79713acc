from accounts.roles import RoleType
from tests.accounts.factories import UserFactory
from tests.conftest import PERSONA_ROLES
from tests.matrix.rows import TOKEN_CREATORS, Row, api, console, everyone, for_actor
from tests.tokens.factories import issue_token
from tokens.models import Agent, AgentType, TokenNotice

OTHERS_SEE_NOTHING = {"org": 404, "user_admin": 404, "membership": 404, "read_only": 404}


def _someone_elses_token():
    token, _ = issue_token(owner=UserFactory(roles=[RoleType.SUPER_ADMIN]))
    return {"token_id": token.id}


@for_actor
def _own_token(actor):
    """Another token of the persona's own (anonymous: somebody's)."""
    token, _ = issue_token(owner=actor or UserFactory(roles=[RoleType.SUPER_ADMIN]), name="second")
    return {"token_id": token.id}


@for_actor
def _own_notice(actor):
    """A notice about one of the persona's own tokens (anonymous: somebody's): only its owner may dismiss it."""
    token, _ = issue_token(owner=actor or UserFactory(roles=[RoleType.SUPER_ADMIN]), name="noticed")
    notice = TokenNotice.objects.create(token=token, kind=TokenNotice.Kind.LEAKED, message="leaked")
    return {"notice_id": notice.id}


def _agent():
    agent = Agent.objects.create(type=AgentType.LDAP, name="ldap", host="ldap.test")
    return {"agent_id": agent.id, "action": "activate"}


MANAGE_OTHERS = {**console(["super"], ok=302), "org": 404, "user_admin": 404, "membership": 404, "read_only": 404}
AGENT_VIEWERS = ["super", "org", "read_only"]

ROWS = [
    Row("tokens:list", console(TOKEN_CREATORS)),
    Row("tokens:create", console(TOKEN_CREATORS)),
    Row("tokens:guide", console(TOKEN_CREATORS)),
    Row(
        "tokens:detail",
        {**console(["super"]), "org": 404, "user_admin": 404, "membership": 404, "read_only": 404},
        kwargs=_someone_elses_token,
    ),
    Row("tokens:revoke", MANAGE_OTHERS, method="POST", kwargs=_someone_elses_token),
    Row("tokens:network", MANAGE_OTHERS, method="POST", kwargs=_someone_elses_token, data={"connection": "ANYWHERE"}),
    Row("tokens:share", MANAGE_OTHERS, method="POST", kwargs=_someone_elses_token, data={"percent": "20"}),
    # Rotation (docs/decisions/30): whoever may revoke a token may rotate it; the new value's page is a 200.
    Row(
        "tokens:rotate",
        {**MANAGE_OTHERS, "super": 200},
        method="POST",
        kwargs=_someone_elses_token,
        data={"grace": "1h"},
    ),
    Row("tokens:notice_dismiss", console(TOKEN_CREATORS, ok=302), method="POST", kwargs=_own_notice),
    Row("tokens:agents", console(AGENT_VIEWERS)),
    Row("tokens:agent_action", console(["super", "org"], ok=302), method="POST", kwargs=_agent),
    Row("tokens_api:collection", api(TOKEN_CREATORS)),
    # Through a session there is no "current" token to revoke; any token may revoke itself, whatever
    # its owner's roles (read-only and no-role owners included): giving up a credential never needs a grant.
    Row("tokens_api:current", api([]), method="DELETE", token_expect=dict.fromkeys(PERSONA_ROLES, 204)),
    Row("tokens_api:item", {**api(["super"]), **OTHERS_SEE_NOTHING}, kwargs=_someone_elses_token),
    Row(
        "tokens_api:item",
        {**api(["super"], ok=204), **OTHERS_SEE_NOTHING},
        method="DELETE",
        kwargs=_someone_elses_token,
    ),
    Row(
        "tokens_api:item",
        {**api(["super"]), **OTHERS_SEE_NOTHING},
        method="PUT",
        kwargs=_someone_elses_token,
        data={"network": {"connection": "ANYWHERE"}},
        json=True,
    ),
    # One's own tokens: every creator may see, edit and revoke them; a read-only admin's token only sees.
    Row("tokens_api:item", api(TOKEN_CREATORS), kwargs=_own_token),
    Row(
        "tokens_api:item",
        api(TOKEN_CREATORS),
        method="PUT",
        kwargs=_own_token,
        data={"network": {"connection": "ANYWHERE"}},
        json=True,
    ),
    Row("tokens_api:item", api(TOKEN_CREATORS, ok=204), method="DELETE", kwargs=_own_token),
    Row(
        "tokens_api:rotate",
        {**api(["super"]), **OTHERS_SEE_NOTHING},
        method="POST",
        kwargs=_someone_elses_token,
        data={"gracePeriod": "PT1H"},
        json=True,
    ),
    Row(
        "tokens_api:rotate",
        api(TOKEN_CREATORS),
        method="POST",
        kwargs=_own_token,
        data={"gracePeriod": "P7D"},
        json=True,
    ),
    # Leaked values may be reported by anyone, signed in or not, with any token or none (docs/decisions/31).
    Row(
        "tokens_api:leaked",
        everyone(202),
        method="POST",
        data={"credentials": ["not a token"]},
        json=True,
        token_expect=dict.fromkeys(PERSONA_ROLES, 202),
    ),
]
