"""Exception requests: the seeds' form, 10 business days' notice, approval by another super admin, windows."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from accounts.roles import RoleType
from ratelimits import policy
from ratelimits.forms import ExceptionRequestForm, business_days_between
from ratelimits.models import ExceptionStatus, RateLimitException
from syslog.models import LogEvent
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.tokens.factories import issue_token, ssws

pytestmark = pytest.mark.django_db
FRIDAY = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def form_data(start, days=2, **over):
    data = {
        "org_name": "Warden",
        "group": "default",
        "requested_limit": 20_000,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M"),
        "justification": "Initial import of 200,000 users",
    }
    data.update(over)
    return data


def test_business_days_skip_weekends():
    assert business_days_between(FRIDAY, FRIDAY + timedelta(days=3)) == 1  # Sat, Sun, Mon
    assert business_days_between(FRIDAY, FRIDAY + timedelta(days=14)) == 10  # two weeks: Mon..Fri twice
    assert business_days_between(FRIDAY, FRIDAY + timedelta(days=13)) == 9  # ends on Thursday


def test_business_days_are_counted_without_walking_the_calendar():
    """Issue 16.8: a loop over every day took 2 s for a start in year 9999."""
    import time

    def walked(start, end):
        return sum(
            (start.date() + timedelta(days=n)).weekday() < 5 for n in range(1, (end.date() - start.date()).days + 1)
        )

    for offset in range(0, 9):
        for days in range(0, 30):
            start = FRIDAY + timedelta(days=offset)
            assert business_days_between(start, start + timedelta(days=days)) == walked(
                start, start + timedelta(days=days)
            )
    began = time.perf_counter()
    assert business_days_between(FRIDAY, datetime(9999, 12, 31, tzinfo=UTC)) > 2_000_000
    assert time.perf_counter() - began < 0.01


def test_a_start_or_end_more_than_a_year_ahead_is_refused():
    form = ExceptionRequestForm(form_data(datetime(9999, 12, 1, tzinfo=UTC)), now=FRIDAY)
    assert not form.is_valid() and "within a year" in form.errors["starts_at"][0]
    form = ExceptionRequestForm(form_data(FRIDAY + timedelta(days=30), days=400), now=FRIDAY)
    assert not form.is_valid() and "within a year" in form.errors["ends_at"][0]


@pytest.mark.parametrize("days,ok", [(13, False), (14, True)])
def test_ten_business_days_notice(days, ok):
    form = ExceptionRequestForm(form_data(FRIDAY + timedelta(days=days)), now=FRIDAY)
    assert form.is_valid() is ok
    if not ok:
        assert "10 business days" in form.errors["starts_at"][0]


def test_form_refuses_end_before_start_and_no_increase():
    start = timezone.now() + timedelta(days=30)
    form = ExceptionRequestForm(form_data(start, days=-1, requested_limit=100))
    assert not form.is_valid() and {"ends_at", "requested_limit"} <= set(form.errors)


def test_request_then_another_super_admin_approves():
    requester = UserFactory(roles=[RoleType.ORG_ADMIN])
    approver = UserFactory(roles=[RoleType.SUPER_ADMIN])
    start = timezone.now() + timedelta(days=30)
    response = client_for(requester).post("/security/rate-limits/", form_data(start))
    assert response.status_code == 302
    exc = RateLimitException.objects.get()
    assert (exc.requested_by, exc.status) == (requester, ExceptionStatus.PENDING)
    assert client_for(requester).post(f"/security/rate-limits/exceptions/{exc.id}/approve").status_code == 403
    assert client_for(approver).post(f"/security/rate-limits/exceptions/{exc.id}/approve").status_code == 302
    exc.refresh_from_db()
    assert (exc.status, exc.decided_by) == (ExceptionStatus.APPROVED, approver)
    types = list(LogEvent.objects.order_by("published").values_list("event_type", flat=True))
    assert types[-2:] == ["system.rate_limit.exception.request", "system.rate_limit.exception.approve"]


def test_super_admin_cannot_decide_own_request_and_bad_requests_change_nothing():
    admin = UserFactory(roles=[RoleType.SUPER_ADMIN])
    client = client_for(admin)
    start = timezone.now() + timedelta(days=3)
    response = client.post("/security/rate-limits/", form_data(start))
    assert response.status_code == 400 and not RateLimitException.objects.exists()
    client.post("/security/rate-limits/", form_data(start + timedelta(days=30)))
    exc = RateLimitException.objects.get()
    assert client.post(f"/security/rate-limits/exceptions/{exc.id}/decline").status_code == 403
    exc.refresh_from_db()
    assert exc.status == ExceptionStatus.PENDING
    assert not LogEvent.objects.filter(event_type="system.rate_limit.exception.decline").exists()


def test_decline_records_an_event():
    requester = UserFactory(roles=[RoleType.SUPER_ADMIN])
    decider = UserFactory(roles=[RoleType.SUPER_ADMIN])
    exc = _exception(requester, timezone.now() + timedelta(days=20))
    assert client_for(decider).post(f"/security/rate-limits/exceptions/{exc.id}/decline").status_code == 302
    exc.refresh_from_db()
    assert exc.status == ExceptionStatus.DECLINED
    assert LogEvent.objects.filter(event_type="system.rate_limit.exception.decline").count() == 1
    client_for(decider).post(f"/security/rate-limits/exceptions/{exc.id}/approve")
    exc.refresh_from_db()
    assert exc.status == ExceptionStatus.DECLINED  # decided once


def _exception(requester, start, days=1, rate=20, status=ExceptionStatus.PENDING):
    return RateLimitException.objects.create(
        org_name="Warden",
        group="default",
        requested_limit=rate,
        starts_at=start,
        ends_at=start + timedelta(days=days),
        justification="Import",
        requested_by=requester,
        status=status,
    )


def test_approved_exception_raises_the_limit_only_inside_its_window(client, settings):
    settings.RATE_LIMITS = {"logs": 6, "default": 10}
    owner = UserFactory(roles=[RoleType.SUPER_ADMIN])
    token, value = issue_token(owner=owner, rate_limit_percent=50)
    now = timezone.now()
    _exception(owner, now + timedelta(days=1), status=ExceptionStatus.APPROVED)  # later
    _exception(owner, now - timedelta(days=2), rate=30, status=ExceptionStatus.APPROVED)  # over
    _exception(owner, now - timedelta(hours=1), rate=40)  # pending
    assert policy.token_limits(token) == [("logs", 3, 3, 6), ("default", 5, 5, 10)]
    _exception(owner, now - timedelta(hours=1), rate=20, status=ExceptionStatus.APPROVED)
    policy.approved_limits.reset()
    assert policy.token_limits(token) == [("logs", 3, 3, 6), ("default", 10, 10, 20)]
    assert client.get("/api/v1/api-tokens", **ssws(value))["X-Rate-Limit-Limit"] == "10"


def test_page_shows_groups_use_warnings_and_exceptions(client, settings):
    settings.RATE_LIMITS = {"logs": 6, "default": 10}
    admin = UserFactory(roles=[RoleType.SUPER_ADMIN])
    token, value = issue_token(owner=admin, name="busy-bot", rate_limit_percent=100)
    for _ in range(11):
        client.get("/api/v1/api-tokens", **ssws(value))
    _exception(UserFactory(roles=[RoleType.ORG_ADMIN]), timezone.now() + timedelta(days=20))
    page = client_for(admin).get("/security/rate-limits/").content.decode()
    assert "busy-bot: 11" in page and "All other endpoints" in page
    assert "Rate limit violation" in page and "Rate limit warning" in page
    assert ">Approve</button>" in page and "Import" in page
    assert ">Request exception</button>" in page
    read_only = client_for(UserFactory(roles=[RoleType.READ_ONLY_ADMIN])).get("/security/rate-limits/")
    assert read_only.status_code == 200 and b"Request exception</button>" not in read_only.content
