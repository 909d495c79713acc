"""Template helpers every console page uses, so that each concept looks the same everywhere:
`{% load console %}` then `{{ token.created|when }}` and `{{ limit|count }}`."""

from datetime import UTC

from django import template
from django.utils.html import format_html
from django.utils.timezone import is_naive, make_aware

register = template.Library()


@register.filter
def when(value, empty="Never"):
    """One line, in UTC on the server; static/js/warden.js rewrites it in the viewer's time zone and keeps
    the UTC value in the tooltip. Without JavaScript the UTC value stays, labelled as such."""
    if not value:
        return empty
    if is_naive(value):
        value = make_aware(value)
    utc = value.astimezone(UTC)
    return format_html(
        '<time datetime="{}" data-local title="{} UTC">{} UTC</time>',
        utc.isoformat(),
        utc.strftime("%Y-%m-%d %H:%M:%S"),
        utc.strftime("%Y-%m-%d %H:%M"),
    )


@register.filter
def count(value):
    """An integer with thousands separators (10,000), as Okta's console writes them."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value
