from accounts.roles import RoleType, UserStatus
from tests.accounts.factories import UserFactory
from tests.matrix.rows import ADMINS, Row, api, console, everyone


def _plain_user():
    return {"user_id": UserFactory().id}


def _deactivated_user():
    return {"user_id": UserFactory(status=UserStatus.DEPROVISIONED).id}


def _user_with_role():
    user = UserFactory(roles=[RoleType.APP_ADMIN])
    return {"user_id": user.id, "role_type": RoleType.APP_ADMIN}


ROWS = [
    Row("healthz", everyone(200)),
    Row("readyz", everyone(200)),  # docs/decisions/21: readiness, outside the pipeline like /healthz
    Row("openapi", everyone(200)),
    Row("accounts:home", {**console(ADMINS, ok=302), "non_admin": 403}),
    Row("accounts:signin", {**everyone(302), "anonymous": 200}),
    Row("accounts:signout", everyone(302), method="POST"),
    Row("accounts:people", console(ADMINS)),
    Row("accounts:person_create", console(["super", "org"])),
    Row("accounts:person", console(ADMINS), kwargs=_plain_user),
    Row("accounts:person_deactivate", console(["super", "org"], ok=302), method="POST", kwargs=_plain_user),
    Row("accounts:person_reactivate", console(["super", "org"], ok=302), method="POST", kwargs=_deactivated_user),
    Row(
        "accounts:role_grant",
        console(["super"], ok=302),
        method="POST",
        kwargs=_plain_user,
        data={"role_type": RoleType.APP_ADMIN},
    ),
    Row("accounts:role_remove", console(["super"], ok=302), method="POST", kwargs=_user_with_role),
    Row("accounts_api:user", api(ADMINS), kwargs={"user_key": "me"}),
    Row("accounts_api:user", api(ADMINS), kwargs=lambda: {"user_key": UserFactory().id}),
    Row("accounts_api:user_roles", api(ADMINS), kwargs={"user_key": "me"}),
    Row("accounts_api:org", api(ADMINS)),
    # Sections whose pages later issues build; their rows move to those apps' files then.
]
