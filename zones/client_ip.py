"""The one place that decides a request's client IP (docs/architecture.md, pipeline step 1).

Start from the TCP peer (REMOTE_ADDR). Only while that hop is a trusted proxy
do we believe the X-Forwarded-For entry it added, walking the header right to
left; the first untrusted hop is the client. A client that is not a trusted
proxy can therefore never choose its own IP. IPv4-mapped IPv6 addresses
(::ffff:a.b.c.d) count as the IPv4 address they carry (zones.entries.unmapped).

A hop that a trusted proxy wrote but that is no address (`unknown`,
`203.000.113.005`) raises UnparsableForwardedFor: stopping there would make the
proxy itself the client, with the proxy's zone and buckets, so the request is
refused instead (400, zones.middleware.ClientIP). An IPv6 zone index
(`fe80::1%eth0`) names an interface on the sender's host, not an address: it is
dropped, and no hop longer than any address can be is parsed at all.

Code that needs the IP a request came from reads it with
api.middleware.client_ip(request), not from here."""

import ipaddress
from collections.abc import Callable

from zones.entries import IPAddress, unmapped

# "[" + the longest IPv6 text (45 characters, with an embedded IPv4) + "]:65535"
MAX_HOP_LENGTH = 53


class UnparsableForwardedFor(ValueError):
    """A trusted proxy's X-Forwarded-For hop that is not an IP address."""


def parse_ip(value: str) -> IPAddress | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    value = value.split("%", 1)[0]  # the zone index, if any
    if len(value) > MAX_HOP_LENGTH:
        return None
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
            text = hops.pop()
            hop = parse_ip(text)
            if hop is None:
                raise UnparsableForwardedFor(text.strip()[:MAX_HOP_LENGTH])
            client = hop
    return str(client)
