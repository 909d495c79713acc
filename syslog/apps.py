from django.apps import AppConfig


class SyslogConfig(AppConfig):
    name = "syslog"
    verbose_name = "System Log"

    def ready(self) -> None:
        from syslog import catalog

        catalog.collect()  # every installed app's event_types.py (see catalog's docstring)
