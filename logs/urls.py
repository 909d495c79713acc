from django.urls import path

from logs import api, views

app_name = "logs"

urlpatterns = [
    path("reports/syslog/", views.log_list, name="list"),
    path("reports/syslog/export.csv", views.log_export, name="export"),
    path("reports/syslog/<uuid:uuid>/", views.log_detail, name="detail"),
    path("reports/syslog/<uuid:uuid>/body", views.log_event_body, name="event_body"),
]

api_urlpatterns = [
    path("logs", api.api_logs, name="logs"),
    path("events", api.api_events, name="events"),
]
