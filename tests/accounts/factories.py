import factory
from factory.django import DjangoModelFactory

from accounts.models import RoleAssignment, User
from accounts.roles import RoleType

PASSWORD = "correct-horse-battery-9"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    login = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            RoleAssignment.objects.create(user=self, role_type=role)


def admin(role: RoleType, **fields) -> User:
    return UserFactory(roles=[role], **fields)
