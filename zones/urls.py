from django.urls import path

from zones import api, views

app_name = "zones"

urlpatterns = [
    path("security/networks/", views.zone_list, name="list"),
    path("security/networks/new", views.zone_create, name="create"),
    path("security/networks/<str:zone_id>/edit", views.zone_edit, name="edit"),
    path("security/networks/<str:zone_id>/activate", views.zone_activate, name="activate"),
    path("security/networks/<str:zone_id>/deactivate", views.zone_deactivate, name="deactivate"),
    path("security/networks/<str:zone_id>/delete", views.zone_delete, name="delete"),
]

api_urlpatterns = [
    path("zones", api.api_zones_collection, name="collection"),
    path("zones/<str:zone_id>", api.api_zone_item, name="item"),
    path("zones/<str:zone_id>/lifecycle/activate", api.api_zone_activate, name="activate"),
    path("zones/<str:zone_id>/lifecycle/deactivate", api.api_zone_deactivate, name="deactivate"),
]
