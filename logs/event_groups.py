"""The event-type shortcut of the System Log page: each catalogued event type under the heading an
administrator looks for it by, shown by its display message (Okta's "Create API token", not
`system.api_token.create`). A type no group claims falls under "Other" (tests/logs keep that empty)."""

from syslog.catalog import EVENT_TYPES

GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("API tokens", ("system.api_token.", "warden.api_token.")),
    ("Network zones", ("zone.", "security.zone.", "security.request.blocked")),
    ("Trusted origins", ("security.trusted_origin.",)),
    ("Rate limits", ("system.org.rate_limit.", "system.rate_limit.")),
    ("People", ("user.lifecycle.", "user.account.")),
    ("Agents", ("system.agent.",)),
    ("Applications and OAuth", ("application.", "app.oauth2.", "warden.oauth2.")),
    ("Sign-in", ("user.session.",)),
    ("System Log", ("system.log.",)),
]
OTHER = "Other"


def group_of(event_type: str) -> str:
    return next((label for label, prefixes in GROUPS if event_type.startswith(prefixes)), OTHER)


def grouped() -> list[tuple[str, list[tuple[str, str]]]]:
    """[(group, [(event type, display message), ...]), ...] in GROUPS order, each sorted by display message."""
    groups: dict[str, list[tuple[str, str]]] = {label: [] for label, _ in [*GROUPS, (OTHER, ())]}
    for event_type, (message, _legacy, _severity) in EVENT_TYPES.items():
        groups[group_of(event_type)].append((event_type, message))
    return [(label, sorted(types, key=lambda t: t[1].lower())) for label, types in groups.items() if types]
