"""The org authorization server, mounted at the root by config/urls.py (Okta's paths)."""

from django.urls import path

from oauth import views

app_name = "oauth"

server_urlpatterns = [
    path("oauth2/v1/token", views.token, name="token"),
    path("oauth2/v1/keys", views.keys, name="keys"),
    path("oauth2/v1/revoke", views.revoke, name="revoke"),
    path("oauth2/v1/introspect", views.introspect, name="introspect"),
    path(".well-known/oauth-authorization-server", views.metadata, name="metadata"),
]

urlpatterns: list = []
