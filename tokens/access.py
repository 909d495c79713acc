"""Which tokens a user may see and change (docs/permissions.md):
super admins all; other token creators their own; agent tokens to those who
may see agents. What a user may not see is a 404, never a 403."""

from django.db.models import Q, QuerySet

from accounts.permissions import Perm, has_perm
from tokens.models import ApiToken


def visible_tokens(user, *, via_token: bool = False) -> QuerySet:
    tokens = ApiToken.objects.active().select_related("owner", "agent")
    if has_perm(user, Perm.TOKEN_VIEW_ALL, via_token=via_token):
        return tokens
    scope = Q(pk__in=[])
    if has_perm(user, Perm.TOKEN_VIEW_OWN, via_token=via_token):
        scope |= Q(owner_id=user.pk, agent__isnull=True)  # an app principal's pk matches no owner
    if has_perm(user, Perm.AGENT_VIEW, via_token=via_token):
        scope |= Q(agent__isnull=False)
    return tokens.filter(scope)


def may_manage(user, token: ApiToken, *, via_token: bool = False) -> bool:
    if token.agent_id is not None:
        return has_perm(user, Perm.AGENT_MANAGE, via_token=via_token)
    if has_perm(user, Perm.TOKEN_MANAGE_ALL, via_token=via_token):
        return True
    return token.owner_id == user.id and has_perm(user, Perm.TOKEN_MANAGE_OWN, via_token=via_token)


def revoke_refusal(user, token: ApiToken, *, via_token: bool = False) -> str | None:
    """Why this user cannot revoke this token now (shown beside a disabled button), or None."""
    if not may_manage(user, token, via_token=via_token):
        return "Your role does not allow revoking this token."
    if token.agent is not None and token.agent.is_active:
        return "Deactivate the agent before revoking its token."
    return None
