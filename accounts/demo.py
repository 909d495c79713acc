"""Demo people: two super admins (one to sign in with), one admin of every role, two
service accounts and a deactivated user. Safe to run again."""

from accounts import services
from accounts.models import User
from accounts.roles import RoleType, UserStatus

DEMO_PASSWORD = "Warden-demo-2026!"
SUPER_ADMIN_LOGIN = "admin@warden.test"

ADMINS = [
    (SUPER_ADMIN_LOGIN, "Ada", "Admin", RoleType.SUPER_ADMIN),
    # A second human super admin: a rate-limit exception that Ada requests needs someone else to approve it.
    ("sam.second@warden.test", "Sam", "Second", RoleType.SUPER_ADMIN),
    ("olivia.org@warden.test", "Olivia", "Org", RoleType.ORG_ADMIN),
    ("gary.group@warden.test", "Gary", "Group", RoleType.USER_ADMIN),
    ("mona.members@warden.test", "Mona", "Members", RoleType.GROUP_MEMBERSHIP_ADMIN),
    ("rita.readonly@warden.test", "Rita", "Readonly", RoleType.READ_ONLY_ADMIN),
    ("hank.helpdesk@warden.test", "Hank", "Helpdesk", RoleType.HELP_DESK_ADMIN),
    ("apollo.apps@warden.test", "Apollo", "Apps", RoleType.APP_ADMIN),
]
SERVICE_ACCOUNTS = [
    ("svc-provisioning@warden.test", "Provisioning", "Service", RoleType.SUPER_ADMIN),
    ("svc-reporting@warden.test", "Reporting", "Service", RoleType.READ_ONLY_ADMIN),
]
PLAIN_USERS = [("nora.nonadmin@warden.test", "Nora", "Nonadmin")]
DEACTIVATED = ("dave.departed@warden.test", "Dave", "Departed", RoleType.ORG_ADMIN)


def _person(login, first, last, *, password=DEMO_PASSWORD, service=False) -> User:
    user = User.objects.filter(login=login).first()
    if user is None:
        user = services.user_create(
            login=login, first_name=first, last_name=last, password=password, is_service_account=service
        )
    return user


def _role(user: User, role: RoleType) -> None:
    if role not in user.role_types:
        services.role_grant(user=user, role_type=role)


def load(out) -> None:
    for login, first, last, role in ADMINS:
        _role(_person(login, first, last), role)
    for login, first, last, role in SERVICE_ACCOUNTS:
        _role(_person(login, first, last, password=None, service=True), role)
    for login, first, last in PLAIN_USERS:
        _person(login, first, last)
    login, first, last, role = DEACTIVATED
    departed = _person(login, first, last)
    if departed.status == UserStatus.ACTIVE:
        _role(departed, role)
        services.user_deactivate(user=departed)
    out.write(f"People: sign in as {SUPER_ADMIN_LOGIN} with password {DEMO_PASSWORD}")
    out.write(f"        (every demo admin, e.g. {ADMINS[4][0]}, has the same password)")
