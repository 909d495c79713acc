"""The org authorization server (mounted at the root by config/urls.py, Okta's paths) and the console's
Applications pages."""

from django.urls import path

from oauth import console, views

app_name = "oauth"

server_urlpatterns = [
    path("oauth2/v1/token", views.token, name="token"),
    path("oauth2/v1/keys", views.keys, name="keys"),
    path("oauth2/v1/revoke", views.revoke, name="revoke"),
    path("oauth2/v1/introspect", views.introspect, name="introspect"),
    path(".well-known/oauth-authorization-server", views.metadata, name="metadata"),
]

urlpatterns = [
    path("applications/", console.app_list, name="apps"),
    path("applications/new", console.app_create, name="app_create"),
    path("applications/guide", console.guide, name="guide"),
    path("applications/<str:app_id>/", console.app_detail, name="app"),
    path("applications/<str:app_id>/<str:action>", console.app_action, name="app_action"),
]
