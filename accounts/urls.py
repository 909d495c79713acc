from django.urls import path

from accounts import api, views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("signin", views.signin, name="signin"),
    path("signout", views.signout, name="signout"),
    path("people/", views.people, name="people"),
    path("people/new", views.person_create, name="person_create"),
    path("people/<str:user_id>/", views.person, name="person"),
    path("people/<str:user_id>/deactivate", views.person_deactivate, name="person_deactivate"),
    path("people/<str:user_id>/reactivate", views.person_reactivate, name="person_reactivate"),
    path("people/<str:user_id>/roles", views.role_grant, name="role_grant"),
    path("people/<str:user_id>/roles/<str:role_type>/remove", views.role_remove, name="role_remove"),
]

api_urlpatterns = [
    path("users/<str:user_key>", api.api_user_item, name="user"),
    path("users/<str:user_key>/roles", api.api_user_roles, name="user_roles"),
    path("org", api.api_org, name="org"),
]
