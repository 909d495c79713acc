"""The organisation's settings (`GET /api/v1/org`): one org per deployment,
described by settings rather than a table."""

from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpRequest

from api.http import link, okta_time

ORG_CREATED = datetime(2026, 1, 1, tzinfo=UTC)


def org_to_okta(request: HttpRequest | None = None) -> dict:
    name = getattr(settings, "ORG_NAME", "Warden Demo Org")
    return {
        "id": "00o00000000000warden",
        "companyName": name,
        "subdomain": getattr(settings, "ORG_SUBDOMAIN", "warden"),
        "status": "ACTIVE",
        "created": okta_time(ORG_CREATED),
        "lastUpdated": okta_time(ORG_CREATED),
        "expiresAt": None,
        "website": None,
        "phoneNumber": None,
        "address1": None,
        "address2": None,
        "city": None,
        "state": None,
        "country": None,
        "postalCode": None,
        "endUserSupportHelpURL": None,
        "supportPhoneNumber": None,
        "_links": {"self": link(request, "/api/v1/org", "GET")},
    }
