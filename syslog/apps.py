from django.apps import AppConfig


class SyslogConfig(AppConfig):
    name = "syslog"
    verbose_name = "System Log"
