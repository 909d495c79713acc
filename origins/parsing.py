"""What counts as a trusted origin (docs/decisions/15): scheme + host + port and
nothing else. Schemes http, https, ftp, ionic and capacitor (the last two are
what Ionic and Capacitor apps send as `Origin`); no wildcards, no `null`, no
user name or password, path, query or fragment.

`normalise()` returns the form browsers send in the `Origin` header (RFC 6454
serialisation): lower-case scheme and host, IDNA (punycode) host, IPv6 in
brackets and compressed, the scheme's default port dropped. Uniqueness and
every CORS/redirect/frame comparison use that form, so `https://EXAMPLE.com:443`
and `https://example.com` are the same origin."""

import ipaddress
import re

import idna
from django.core.exceptions import ValidationError

SCHEMES = ("http", "https", "ftp", "ionic", "capacitor")
DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21}
MAX_LENGTH = 255
SCHEME_AND_REST = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$", re.DOTALL)
LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _fail(message: str):
    raise ValidationError(message, code="invalid_origin")


def _host(raw: str) -> str:
    if raw.startswith("["):
        if not raw.endswith("]"):
            _fail("The IPv6 address must be closed with ']'.")
        try:
            address = ipaddress.IPv6Address(raw[1:-1])
        except ValueError:
            _fail(f"{raw} is not a valid IPv6 address.")
        return f"[{address.compressed}]"
    if not raw:
        _fail("The origin needs a host name, e.g. https://example.com.")
    if raw.endswith("."):
        _fail("The host name must not end with a dot.")
    try:
        return str(ipaddress.IPv4Address(raw))
    except ValueError:
        pass
    if re.fullmatch(r"[0-9.]+", raw):
        _fail(f"{raw} is not a valid IPv4 address.")
    try:
        host = idna.encode(raw, uts46=True).decode("ascii")
    except idna.IDNAError:
        _fail(f"{raw} is not a valid host name.")
    if len(host) > 253 or not all(LABEL.match(label) for label in host.split(".")):
        _fail(f"{raw} is not a valid host name.")
    return host


def _split_host_port(authority: str) -> tuple[str, str | None]:
    if authority.startswith("["):
        end = authority.find("]")
        if end == -1:
            _fail("The IPv6 address must be closed with ']'.")
        host, rest = authority[: end + 1], authority[end + 1 :]
        if rest and not rest.startswith(":"):
            _fail("Only a port may follow the IPv6 address, e.g. https://[2001:db8::1]:8443.")
        return host, rest[1:] if rest else None
    if authority.count(":") > 1:
        _fail("An IPv6 address must be written in brackets, e.g. https://[2001:db8::1].")
    host, sep, port = authority.partition(":")
    return host, port if sep else None


def normalise(value) -> str:
    """The origin in browser (`Origin` header) form, or ValidationError with a precise message."""
    if not isinstance(value, str):
        _fail("The origin must be a string.")
    if not value:
        _fail("Enter an origin, e.g. https://example.com.")
    if len(value) > MAX_LENGTH:
        _fail(f"The origin is longer than {MAX_LENGTH} characters.")
    if value.strip().lower() == "null":
        _fail("'null' is not an origin: sandboxed pages and files have no origin that can be trusted.")
    if any(ch.isspace() for ch in value):
        _fail("The origin must not contain spaces or line breaks.")
    if "*" in value:
        _fail("Wildcards are not allowed: enter each origin in full, e.g. https://app.example.com.")
    match = SCHEME_AND_REST.match(value)
    if not match:
        _fail("The origin must start with a scheme, e.g. https://example.com.")
    scheme, rest = match.group(1).lower(), match.group(2)
    if scheme not in SCHEMES:
        _fail(f"The scheme '{scheme}' is not allowed: use http, https, ftp, ionic or capacitor.")
    authority, sep, tail = _cut(rest)
    if tail:
        kind = {"/": "path", "?": "query", "#": "fragment"}[sep]
        _fail(f"An origin is scheme, host and port only: remove the {kind} '{sep}{tail}'.")
    if sep:
        _fail(f"An origin is scheme, host and port only: remove the trailing '{sep}'.")
    if "@" in authority:
        _fail("The origin must not contain a user name or password.")
    host_raw, port_raw = _split_host_port(authority)
    host = _host(host_raw.lower() if host_raw.isascii() else host_raw)
    port = None
    if port_raw is not None:
        if not port_raw.isdigit() or not port_raw.isascii():
            _fail(f"The port '{port_raw}' must be a number from 1 to 65535.")
        port = int(port_raw)
        if not 1 <= port <= 65535:
            _fail(f"The port '{port_raw}' must be a number from 1 to 65535.")
    if port is None or port == DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def _cut(rest: str) -> tuple[str, str, str]:
    """authority, the first of / ? # (or ""), and what follows it."""
    match = re.search(r"[/?#]", rest)
    if not match:
        return rest, "", ""
    return rest[: match.start()], match.group(0), rest[match.end() :]


def try_normalise(value) -> str | None:
    try:
        return normalise(value)
    except ValidationError:
        return None
