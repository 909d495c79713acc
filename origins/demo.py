"""Demo trusted origins: a single-page app (CORS + Redirect), a mobile app
(capacitor), a partner portal that may frame the sign-in page, and an
inactive one. Safe to run again."""

from accounts.demo import SUPER_ADMIN_LOGIN
from accounts.models import User
from origins import services
from origins.forms import TrustedOriginForm
from origins.models import TrustedOrigin

DEMO_ORIGINS = [
    {
        "name": "Support dashboard (SPA)",
        "origin": "https://support.example.com",
        "scopes": [{"type": "CORS"}, {"type": "REDIRECT"}],
    },
    {
        "name": "Local development",
        "origin": "http://localhost:3000",
        "scopes": [{"type": "CORS"}, {"type": "REDIRECT"}],
    },
    {"name": "Field app (Capacitor)", "origin": "capacitor://localhost", "scopes": [{"type": "CORS"}]},
    {
        "name": "Partner portal",
        "origin": "https://partners.example.net",
        "scopes": [{"type": "IFRAME_EMBED", "allowedOktaApps": []}, {"type": "REDIRECT"}],
    },
    {
        "name": "Old marketing site",
        "origin": "https://www.example.org",
        "scopes": [{"type": "REDIRECT"}],
        "status": "INACTIVE",
    },
]


def load(out) -> None:
    # Made by the demo's super admin, so createdBy/lastUpdatedBy name a user as on Okta (never null).
    admin = User.objects.filter(login=SUPER_ADMIN_LOGIN).first()
    for spec in DEMO_ORIGINS:
        if TrustedOrigin.objects.filter(name=spec["name"]).exists():
            continue
        form = TrustedOriginForm(spec, json=True)
        if not form.is_valid():  # another origin already holds it: leave that one alone
            continue
        services.origin_create(data=form.cleaned_data, actor=admin)
    out.write(f"Origins: {TrustedOrigin.objects.count()} trusted origins")
