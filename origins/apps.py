from django.apps import AppConfig


class OriginsConfig(AppConfig):
    name = "origins"
    verbose_name = "Trusted origins"

    def ready(self):
        from corsheaders.signals import check_request_enabled

        from origins.middleware import cors_allowed

        check_request_enabled.connect(cors_allowed, dispatch_uid="origins.cors_allowed")
