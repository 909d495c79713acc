from django.apps import AppConfig


def _announce_change(sender, created=False, update_fields=None, **kwargs) -> None:
    from accounts.models import RoleAssignment, User
    from tokens import snapshots

    # A new token, user or agent is in nobody's snapshot yet (a new role assignment changes its
    # user's privileges, so it does count); a sign-in only stamps last_login.
    if created and sender is not RoleAssignment:
        return
    if sender is User and update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    snapshots.changed()


def _deprovision(sender, *, user, request=None, actor=None, **kwargs) -> None:
    from tokens.services import tokens_deprovision

    tokens_deprovision(user=user, request=request, actor=actor)


class TokensConfig(AppConfig):
    name = "tokens"
    verbose_name = "API tokens"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from accounts.models import RoleAssignment, User
        from accounts.signals import user_deactivated
        from tokens.models import Agent, ApiToken, TokenZone

        # A deactivated user's tokens are revoked in the deactivation's transaction (accounts/signals.py).
        user_deactivated.connect(_deprovision, dispatch_uid="tokens.deprovision")

        # Saves and deletes of anything an authenticated token is made of (tokens/snapshots.py);
        # the services' QuerySet.update() calls, which send no signal, announce themselves.
        for model in (ApiToken, TokenZone, Agent, User, RoleAssignment):
            post_save.connect(_announce_change, sender=model, dispatch_uid=f"snapshots-save-{model.__name__}")
            post_delete.connect(_announce_change, sender=model, dispatch_uid=f"snapshots-delete-{model.__name__}")
