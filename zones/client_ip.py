"""The one place that decides a request's client IP (docs/architecture.md, pipeline step 1).

Start from the TCP peer (REMOTE_ADDR). Only while that hop is a trusted proxy
do we believe the X-Forwarded-For entry it added, walking the header right to
left; the first untrusted hop is the client. A client that is not a trusted
proxy can therefore never choose its own IP. IPv4-mapped IPv6 addresses
(::ffff:a.b.c.d) count as the IPv4 address they carry (zones.entries.unmapped).

Code that needs the IP a request came from reads it with
api.middleware.client_ip(request), not from here."""

import ipaddress
from collections.abc import Callable

from zones.entries import IPAddress, unmapped


def parse_ip(value: str) -> IPAddress | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        return unmapped(ipaddress.ip_address(value))
    except ValueError:
        return None


def resolve_client_ip(
    remote_addr: str, forwarded_for: str | None, is_trusted_proxy: Callable[[IPAddress], bool]
) -> str:
    peer = parse_ip(remote_addr or "")
    if peer is None:
        return remote_addr or ""
    client = peer
    if forwarded_for:
        hops = [h for h in forwarded_for.split(",") if h.strip()]
        while hops and is_trusted_proxy(client):
            hop = parse_ip(hops.pop())
            if hop is None:  # garbage from a trusted proxy: stop at the proxy
                break
            client = hop
    return str(client)
