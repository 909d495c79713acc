"""/api/v1/users/{id|login|me}, /api/v1/users/{id}/roles and /api/v1/org (docs/okta-contract.md §6)."""

from accounts.models import User
from accounts.org import org_to_okta
from accounts.permissions import Perm, require
from api.decorators import api_view
from api.errors import not_found
from api.http import ApiRequest, OktaJsonResponse

SELF_SCOPES = ("okta.users.read.self", "okta.users.read", "okta.users.manage")
ROLE_SCOPES = ("okta.roles.read", "okta.roles.manage")
ORG_SCOPES = ("okta.orgs.read", "okta.orgs.manage")


def _find_user(request: ApiRequest, key: str) -> User:
    if key == "me":
        if not isinstance(request.user, User):
            # A service app's access token (docs/decisions/24): client credentials have no user, so "me" is
            # not found, as Okta answers it.
            raise not_found(key, "User")
        return request.user
    user = User.objects.filter(pk=key).first() or User.objects.filter(login__iexact=key).first()
    if user is None:
        raise not_found(key, "User")
    return user


@api_view(["GET"])
def api_user_item(request: ApiRequest, user_key: str):
    require(
        request, Perm.PEOPLE_VIEW, scopes=SELF_SCOPES if user_key == "me" else None
    )  # non-admins have no API access, not even to "me"
    return OktaJsonResponse(_find_user(request, user_key).to_okta(request))


@api_view(["GET"])
def api_user_roles(request: ApiRequest, user_key: str):
    require(request, Perm.PEOPLE_VIEW, scopes=ROLE_SCOPES)
    user = _find_user(request, user_key)
    return OktaJsonResponse([a.to_okta(request) for a in user.role_assignments.all()])


@api_view(["GET"])
def api_org(request: ApiRequest):
    require(request, Perm.PEOPLE_VIEW, scopes=ORG_SCOPES)
    return OktaJsonResponse(org_to_okta(request))
