"""A token's status colour (docs/decisions/06), computed in UTC."""

from datetime import timedelta

from django.utils import timezone

RECENT_USE = timedelta(hours=72)
EXPIRY_WARNING = timedelta(days=7)

LABELS = {
    "yellow": "Suspicious: its agent is not registered",
    "red": "Expires within seven days",
    "green": "Used in the last three days",
    "gray": "Not used in the last three days",
}


def is_suspicious(token) -> bool:
    return token.agent_id is not None and not token.agent.registered


def status_colour(token, now=None) -> str:
    now = now or timezone.now()
    if is_suspicious(token):
        return "yellow"
    if token.expires_at - now <= EXPIRY_WARNING:
        return "red"
    if token.last_used is not None and now - token.last_used < RECENT_USE:
        return "green"
    return "gray"
