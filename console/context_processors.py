"""The console's left navigation, showing only what the user's role may open."""

from django.http import HttpRequest
from django.urls import reverse

from accounts.permissions import Perm, has_perm

# (section, label, url name, permission needed)
NAVIGATION = [
    ("Security", "API", "tokens:list", Perm.TOKEN_VIEW_OWN),
    ("Security", "Networks", "zones:list", Perm.ZONE_VIEW),
    ("Security", "Rate limits", "ratelimits:overview", Perm.RATELIMIT_VIEW),
    ("Reports", "System Log", "logs:list", Perm.SYSLOG_READ),
    ("Directory", "People", "accounts:people", Perm.PEOPLE_VIEW),
    ("Directory", "Agents", "tokens:agents", Perm.AGENT_VIEW),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_admin:
        return {"navigation": []}
    sections: dict[str, list[dict]] = {}
    current = request.path
    for section, label, url_name, perm in NAVIGATION:
        if not has_perm(user, perm):
            continue
        url = reverse(url_name)
        sections.setdefault(section, []).append(
            {"label": label, "url": url, "active": current.startswith(url) and url != "/"}
        )
    return {"navigation": list(sections.items())}
