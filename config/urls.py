"""URL wiring. Each app exports `urlpatterns` (console pages) and, where it
serves the JSON API, `api_urlpatterns`; this module mounts the latter under
/api/v1/ so that no low layer has to import a high one."""

from django.urls import include, path

from accounts import urls as accounts_urls
from api import views as api_views
from logs import urls as logs_urls
from oauth import urls as oauth_urls
from origins import urls as origins_urls
from ratelimits import urls as ratelimits_urls
from tokens import urls as tokens_urls
from zones import urls as zones_urls

CONSOLE_APPS = [accounts_urls, logs_urls, zones_urls, tokens_urls, ratelimits_urls, origins_urls]

api_v1 = [
    path("", include((app.api_urlpatterns, f"{app.app_name}_api")))
    for app in CONSOLE_APPS
    if getattr(app, "api_urlpatterns", None)
]

urlpatterns = [
    path("healthz", api_views.healthz, name="healthz"),
    path("readyz", api_views.readyz, name="readyz"),
    path("api/v1/openapi.json", api_views.openapi, name="openapi"),
    path("api/v1/", include(api_v1)),
    # the org authorization server, and the console's Applications pages
    path("", include(([*oauth_urls.server_urlpatterns, *oauth_urls.urlpatterns], "oauth"))),
    *[path("", include(app)) for app in CONSOLE_APPS],
]

handler400 = "api.views.bad_request"
handler403 = "api.views.forbidden"
handler404 = "api.views.not_found"
handler500 = "api.views.server_error"
