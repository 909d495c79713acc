"""docs/decisions/13 for settings.TRUSTED_PROXIES: the same width cap as zone proxies.
An entry wider than /16 (IPv4) or /48 (IPv6) would let most of the Internet
choose its own client IP; the matcher ignores such entries and this check
makes `manage.py check` (and every runserver/migrate) say so."""

import ipaddress

from django.conf import settings
from django.core.checks import Error, register

from zones.entries import PROXY_MAX_PREFIX_TEXT, proxy_too_wide


@register()
def trusted_proxies_check(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    for value in getattr(settings, "TRUSTED_PROXIES", []) or []:
        try:
            network = ipaddress.ip_network(value.strip(), strict=False)
        except ValueError:
            errors.append(
                Error(f"TRUSTED_PROXIES entry {value!r} is not an IP address or CIDR block.", id="zones.E001")
            )
            continue
        if proxy_too_wide(value):
            widest = PROXY_MAX_PREFIX_TEXT[network.version]
            errors.append(
                Error(
                    f"TRUSTED_PROXIES entry {value!r} is wider than {widest}.",
                    hint="List your load balancers' own addresses or subnets; the entry is ignored until then.",
                    id="zones.E002",
                )
            )
    return errors
