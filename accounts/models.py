from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone

from accounts.roles import ROLE_RANK, RoleType, UserStatus
from api.http import link, okta_time
from api.ids import new_id
from syslog.events import Party


def new_user_id() -> str:
    return new_id("00u")


def new_role_assignment_id() -> str:
    return new_id("ra1")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def with_roles(self):
        return self.prefetch_related("role_assignments")

    def create_user(self, login: str, password: str | None = None, **fields) -> "User":
        user = self.model(login=self.normalize_email(login), **fields)
        user.set_password(password)  # None -> unusable password
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    """A person or service account: an Okta user with optional admin roles."""

    id = models.CharField(primary_key=True, max_length=20, default=new_user_id, editable=False)
    login = models.EmailField("username", max_length=100, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    status = models.CharField(max_length=16, choices=UserStatus.choices, default=UserStatus.ACTIVE)
    is_service_account = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)
    activated = models.DateTimeField(null=True, default=timezone.now)
    status_changed = models.DateTimeField(null=True, default=timezone.now)
    last_updated = models.DateTimeField(auto_now=True)
    password_changed = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "login"
    EMAIL_FIELD = "login"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        ordering = ["last_name", "first_name", "login"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_active(self) -> bool:  # Django's auth refuses inactive users with this
        return self.status == UserStatus.ACTIVE

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.login

    @property
    def role_types(self) -> frozenset[str]:
        """Active role types, read once per request (prefetched where lists need it)."""
        cached = getattr(self, "_role_types", None)
        if cached is None:
            cached = frozenset(a.role_type for a in self.role_assignments.all())
            self._role_types = cached
        return cached

    def preload_role_types(self, role_types: frozenset[str]) -> None:
        """Role types read by the caller's own query (the token lookup reads them with the token)."""
        self._role_types = frozenset(role_types)

    def forget_roles(self) -> None:
        self._role_types = None
        if hasattr(self, "_prefetched_objects_cache"):
            self._prefetched_objects_cache.pop("role_assignments", None)

    @property
    def is_admin(self) -> bool:
        return bool(self.role_types)

    @property
    def primary_role(self) -> RoleType | None:
        for role in ROLE_RANK:
            if role in self.role_types:
                return role
        return None

    def as_log_party(self) -> Party:
        return Party(id=self.id, type="User", alternate_id=self.login, display_name=self.display_name)

    def to_okta(self, request=None) -> dict:
        return {
            "id": self.id,
            "status": self.status,
            "created": okta_time(self.created),
            "activated": okta_time(self.activated),
            "statusChanged": okta_time(self.status_changed),
            "lastLogin": okta_time(self.last_login),
            "lastUpdated": okta_time(self.last_updated),
            "passwordChanged": okta_time(self.password_changed),
            "type": {"id": "oty00000000000000000"},
            "profile": {
                "login": self.login,
                "email": self.login,
                "firstName": self.first_name,
                "lastName": self.last_name,
            },
            "credentials": {"provider": {"type": "OKTA", "name": "OKTA"}},
            "_links": {"self": link(request, f"/api/v1/users/{self.id}", "GET")},
        }


class RoleAssignment(models.Model):
    id = models.CharField(primary_key=True, max_length=20, default=new_role_assignment_id, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role_type = models.CharField(max_length=32, choices=RoleType.choices)
    created = models.DateTimeField(default=timezone.now)
    last_updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role_type"], name="one_assignment_per_role")]
        ordering = ["created"]

    def __str__(self) -> str:
        return f"{self.user} as {self.get_role_type_display()}"

    def to_okta(self, request=None) -> dict:
        return {
            "id": self.id,
            "label": RoleType(self.role_type).label,
            "type": self.role_type,
            "status": "ACTIVE",
            "created": okta_time(self.created),
            "lastUpdated": okta_time(self.last_updated),
            "assignmentType": "USER",
            "_links": {"assignee": {"href": link(request, f"/api/v1/users/{self.user_id}")["href"]}},
        }
