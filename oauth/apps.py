from django.apps import AppConfig


def _announce_change(sender, created=False, **kwargs) -> None:
    from tokens import snapshots

    # What an app's access token may do is made of these rows: any change moves the authorization epoch, so
    # verified tokens are decided again on the next request in every process (docs/decisions/21, 24).
    snapshots.changed()


def _check_kek(app_configs=None, **kwargs):
    from django.conf import settings
    from django.core.checks import Error

    if settings.OAUTH_KEY_ENCRYPTION_KEY:
        return []
    return [
        Error(
            "OAUTH_KEY_ENCRYPTION_KEY is not set: the OAuth authorization server cannot sign access tokens.",
            hint="Set it to a Fernet key (docs/oauth.md).",
            id="oauth.E001",
        )
    ]


class OAuthConfig(AppConfig):
    name = "oauth"
    verbose_name = "OAuth 2.0 service apps"

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import post_delete, post_save

        checks.register(_check_kek, checks.Tags.security, deploy=True)

        from oauth import bearer
        from oauth.models import AppKey, AppRole, RevokedAccessToken, ScopeGrant, ServiceApp
        from tokens import auth

        auth.register_bearer(bearer.BEARER)
        for model in (ServiceApp, AppKey, ScopeGrant, AppRole, RevokedAccessToken):
            post_save.connect(_announce_change, sender=model, dispatch_uid=f"oauth-save-{model.__name__}")
            post_delete.connect(_announce_change, sender=model, dispatch_uid=f"oauth-delete-{model.__name__}")
