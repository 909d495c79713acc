"""The console's left navigation, showing only what the user's role may open."""

from django.http import HttpRequest
from django.urls import reverse

from accounts.permissions import Perm, has_perm

# (section, label, url name, permission needed, the path prefix the item stands for: every page under it
# highlights the item, e.g. Trusted Origins, a tab of the API page, highlights API)
NAVIGATION = [
    ("Security", "API", "tokens:list", Perm.TOKEN_VIEW_OWN, "/security/api/"),
    ("Security", "Networks", "zones:list", Perm.ZONE_VIEW, "/security/networks/"),
    ("Security", "Rate limits", "ratelimits:overview", Perm.RATELIMIT_VIEW, "/security/rate-limits/"),
    ("Reports", "System Log", "logs:list", Perm.SYSLOG_READ, "/reports/syslog/"),
    ("Directory", "People", "accounts:people", Perm.PEOPLE_VIEW, "/people/"),
    ("Directory", "Agents", "tokens:agents", Perm.AGENT_VIEW, "/directory/agents/"),
    ("Applications", "Applications", "oauth:apps", Perm.APP_VIEW, "/applications/"),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_admin:
        return {"navigation": []}
    sections: dict[str, list[dict]] = {}
    current = request.path
    for section, label, url_name, perm, prefix in NAVIGATION:
        if not has_perm(user, perm):
            continue
        sections.setdefault(section, []).append(
            {"label": label, "url": reverse(url_name), "active": current.startswith(prefix)}
        )
    return {"navigation": list(sections.items())}
