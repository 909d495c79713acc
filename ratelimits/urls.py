from django.urls import path

from ratelimits import views

app_name = "ratelimits"

urlpatterns = [
    path("security/rate-limits/", views.overview, name="overview"),
    path("security/rate-limits/exceptions/<str:exc_id>/approve", views.exception_approve, name="approve"),
    path("security/rate-limits/exceptions/<str:exc_id>/decline", views.exception_decline, name="decline"),
]
