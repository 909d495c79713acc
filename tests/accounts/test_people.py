import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import RoleAssignment, User
from accounts.roles import RoleType, UserStatus
from syslog.models import LogEvent, LogEventTarget
from tests.accounts.factories import UserFactory
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_admin():
    return UserFactory(roles=[RoleType.ORG_ADMIN])


def test_org_admin_creates_a_service_account_without_password(org_admin):
    response = client_for(org_admin).post(
        reverse("accounts:person_create"),
        {
            "first_name": "Sync",
            "last_name": "Bot",
            "login": "sync@example.com",
            "is_service_account": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(login="sync@example.com")
    assert user.is_service_account and not user.has_usable_password()
    event = LogEvent.objects.get(event_type="user.lifecycle.create")
    assert event.actor_id == org_admin.id
    assert LogEventTarget.objects.filter(event_id=event.id, target_id=user.id).exists()


def test_person_form_refuses_duplicates_and_weak_passwords_and_changes_nothing(org_admin):
    UserFactory(login="taken@example.com")
    before = User.objects.count()
    response = client_for(org_admin).post(
        reverse("accounts:person_create"),
        {
            "first_name": "A",
            "last_name": "B",
            "login": "TAKEN@example.com",
            "password": "short",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert "too short" in response.content.decode()
    assert User.objects.count() == before


def test_org_admin_cannot_deactivate_a_super_admin(org_admin):
    target = UserFactory(roles=[RoleType.SUPER_ADMIN])
    UserFactory(roles=[RoleType.SUPER_ADMIN])
    response = client_for(org_admin).post(reverse("accounts:person_deactivate", args=[target.id]))
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.status == UserStatus.ACTIVE


def test_deactivate_and_reactivate_leave_events(org_admin):
    target = UserFactory(roles=[RoleType.READ_ONLY_ADMIN])
    client = client_for(org_admin)
    client.post(reverse("accounts:person_deactivate", args=[target.id]))
    target.refresh_from_db()
    assert target.status == UserStatus.DEPROVISIONED
    client.post(reverse("accounts:person_reactivate", args=[target.id]))
    target.refresh_from_db()
    assert target.status == UserStatus.ACTIVE
    types = list(LogEvent.objects.order_by("id").values_list("event_type", flat=True))
    assert types == ["user.lifecycle.deactivate", "user.lifecycle.reactivate"]
    deactivation = LogEvent.objects.get(event_type="user.lifecycle.deactivate").data
    assert deactivation["target"][0]["changeDetails"] == {
        "from": {"status": "ACTIVE"},
        "to": {"status": "DEPROVISIONED"},
    }


def test_last_active_super_admin_can_be_neither_deactivated_nor_demoted():
    only = UserFactory(roles=[RoleType.SUPER_ADMIN])
    client = client_for(only)
    client.post(reverse("accounts:person_deactivate", args=[only.id]))
    client.post(reverse("accounts:role_remove", args=[only.id, RoleType.SUPER_ADMIN]))
    only.refresh_from_db()
    assert only.status == UserStatus.ACTIVE
    assert RoleAssignment.objects.filter(user=only, role_type=RoleType.SUPER_ADMIN).exists()
    assert not LogEvent.objects.exists()
    page = client.get(reverse("accounts:person", args=[only.id]), follow=True).content.decode()
    assert "last active super admin" in page


def test_a_second_super_admin_allows_demoting_the_first():
    first = UserFactory(roles=[RoleType.SUPER_ADMIN])
    UserFactory(roles=[RoleType.SUPER_ADMIN])
    client_for(first).post(reverse("accounts:role_remove", args=[first.id, RoleType.SUPER_ADMIN]))
    assert not RoleAssignment.objects.filter(user=first).exists()
    event = LogEvent.objects.get(event_type="user.account.privilege.revoke")
    assert event.data["target"][0]["id"] == first.id


def test_role_change_applies_to_the_very_next_request():
    boss = UserFactory(roles=[RoleType.SUPER_ADMIN])
    helper = UserFactory(roles=[RoleType.HELP_DESK_ADMIN])
    helper_client = client_for(helper)
    assert helper_client.get(reverse("logs:list")).status_code == 403
    client_for(boss).post(reverse("accounts:role_grant", args=[helper.id]), {"role_type": RoleType.READ_ONLY_ADMIN})
    assert helper_client.get(reverse("logs:list")).status_code == 200
    grant = LogEvent.objects.get(event_type="user.account.privilege.grant")
    assert grant.actor_id == boss.id


def test_people_search_filters_the_list(super_client):
    UserFactory(login="findme@example.com", first_name="Findable")
    UserFactory(login="other@example.com", first_name="Other")
    page = super_client.get(reverse("accounts:people"), {"q": "findme"}).content.decode()
    assert "findme@example.com" in page and "other@example.com" not in page


@pytest.mark.parametrize("name", ["\u202eevil", "a\u200bb", "a\u2066b", "a\u200fb", "\ufeffa", "a\x07b"])
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_person_names_refuse_what_token_zone_and_origin_names_refuse(name, field):
    """Issue 16.8: one validator (api.fields.no_control_characters) for every displayed name."""
    from accounts.forms import PersonForm
    from api.fields import no_control_characters

    data = {"first_name": "Ada", "last_name": "Lovelace", "login": "ada.l@example.com", field: name}
    form = PersonForm(data)
    assert not form.is_valid() and field in form.errors
    with pytest.raises(ValidationError):
        no_control_characters(name)


def test_person_names_keep_the_joiners_some_scripts_need():
    from accounts.forms import PersonForm

    form = PersonForm(
        {
            "first_name": "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
            "last_name": "x",
            "login": "fa@example.com",
            "is_service_account": True,
        }
    )
    assert form.is_valid(), form.errors
