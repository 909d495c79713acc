from django.urls import path

from tokens import api, views

app_name = "tokens"

urlpatterns = [
    path("security/api/tokens/", views.token_list, name="list"),
    path("security/api/tokens/new", views.token_create, name="create"),
    path("security/api/tokens/guide", views.guide, name="guide"),
    path("security/api/tokens/<str:token_id>/", views.token_detail, name="detail"),
    path("security/api/tokens/<str:token_id>/revoke", views.token_revoke, name="revoke"),
    path("security/api/tokens/<str:token_id>/network", views.token_network, name="network"),
    path("security/api/tokens/<str:token_id>/rate-limit", views.token_share, name="share"),
    path("security/api/tokens/<str:token_id>/rotate", views.token_rotate, name="rotate"),
    path("security/api/notices/<int:notice_id>/dismiss", views.notice_dismiss, name="notice_dismiss"),
    path("directory/agents/", views.agent_list, name="agents"),
    path("directory/agents/<str:agent_id>/<str:action>", views.agent_action, name="agent_action"),
]

api_urlpatterns = [
    path("api-tokens", api.api_tokens_collection, name="collection"),
    path("api-tokens/current", api.api_token_current, name="current"),  # before {apiTokenId}
    # Warden's extensions (docs/decisions/30, 31): under `lifecycle`, a path Okta does not use.
    path("api-tokens/lifecycle/leaked", api.api_tokens_leaked, name="leaked"),
    path("api-tokens/<str:token_id>/lifecycle/rotate", api.api_token_rotate, name="rotate"),
    path("api-tokens/<str:token_id>", api.api_token_item, name="item"),
]
