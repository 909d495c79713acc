import factory
from factory.django import DjangoModelFactory

from origins.models import OriginStatus, TrustedOrigin
from origins.parsing import normalise


class OriginFactory(DjangoModelFactory):
    """An active CORS + REDIRECT origin; pass scopes=[{"type": ...}] or status=INACTIVE."""

    class Meta:
        model = TrustedOrigin

    name = factory.Sequence(lambda n: f"origin-{n}")
    origin = factory.Sequence(lambda n: f"https://app{n}.example.com")
    origin_key = factory.LazyAttribute(lambda o: normalise(o.origin))
    scopes = factory.LazyFunction(lambda: [{"type": "CORS"}, {"type": "REDIRECT"}])
    status = OriginStatus.ACTIVE


def scopes(*types: str) -> list[dict]:
    return [{"type": t} for t in types]
