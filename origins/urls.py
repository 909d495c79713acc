from django.urls import path

from origins import api, views

app_name = "origins"

urlpatterns = [
    path("security/api/origins/", views.origin_list, name="list"),
    path("security/api/origins/new", views.origin_create, name="create"),
    path("security/api/origins/<str:origin_id>/edit", views.origin_edit, name="edit"),
    path("security/api/origins/<str:origin_id>/activate", views.origin_activate, name="activate"),
    path("security/api/origins/<str:origin_id>/deactivate", views.origin_deactivate, name="deactivate"),
    path("security/api/origins/<str:origin_id>/delete", views.origin_delete, name="delete"),
]

api_urlpatterns = [
    path("trustedOrigins", api.api_origins_collection, name="collection"),
    path("trustedOrigins/<str:origin_id>", api.api_origin_item, name="item"),
    path("trustedOrigins/<str:origin_id>/lifecycle/activate", api.api_origin_activate, name="activate"),
    path("trustedOrigins/<str:origin_id>/lifecycle/deactivate", api.api_origin_deactivate, name="deactivate"),
]
