import pytest

from ratelimits import policy


@pytest.fixture(autouse=True)
def _fresh_policy():
    """Approved exceptions are memoised per process for a few seconds; tests start and end clean."""
    policy.forget()
    yield
    policy.forget()
