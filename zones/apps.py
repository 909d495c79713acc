from django.apps import AppConfig


class ZonesConfig(AppConfig):
    name = "zones"
    verbose_name = "Network zones"

    def ready(self) -> None:
        from zones import checks  # noqa: F401  (registers the TRUSTED_PROXIES check)
