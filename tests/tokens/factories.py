from accounts.roles import RoleType
from tests.accounts.factories import UserFactory
from tokens import services


def issue_token(owner=None, name="ci token", **fields):
    """A real token through the service, with its value: (token, value)."""
    owner = owner or UserFactory(roles=[RoleType.SUPER_ADMIN])
    return services.token_create(owner=owner, name=name, **fields)


def ssws(value: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"SSWS {value}"}
