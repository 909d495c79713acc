"""docs/decisions/15, table-driven: what an origin may be, its browser form, and the message for everything else."""

import pytest
from django.core.exceptions import ValidationError

from origins.parsing import normalise

VALID = [
    ("https://example.com", "https://example.com"),
    ("https://EXAMPLE.com:443", "https://example.com"),  # case and default port
    ("HTTPS://Example.COM", "https://example.com"),
    ("http://example.com:80", "http://example.com"),
    ("http://example.com:443", "http://example.com:443"),  # not http's default port
    ("https://example.com:8443", "https://example.com:8443"),
    ("https://example.com.evil.io", "https://example.com.evil.io"),  # valid, and a different origin
    ("http://localhost:3000", "http://localhost:3000"),
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ("http://[::1]:8080", "http://[::1]:8080"),
    ("https://[2001:DB8:0:0::1]", "https://[2001:db8::1]"),  # IPv6 compressed and lower-cased
    ("http://[::ffff:192.0.2.1]", "http://[::ffff:c000:201]"),  # as browsers serialise it
    ("https://bücher.example", "https://xn--bcher-kva.example"),  # unicode host -> IDNA
    ("https://BÜCHER.example", "https://xn--bcher-kva.example"),
    ("https://xn--bcher-kva.example", "https://xn--bcher-kva.example"),
    ("ftp://files.example.com:21", "ftp://files.example.com"),
    ("ionic://localhost", "ionic://localhost"),
    ("capacitor://localhost", "capacitor://localhost"),
    ("https://a-b.c-d.example", "https://a-b.c-d.example"),
]

INVALID = [
    ("null", "'null' is not an origin"),
    ("NULL", "'null' is not an origin"),
    ("", "Enter an origin"),
    ("example.com", "must start with a scheme"),
    ("//example.com", "must start with a scheme"),
    ("javascript://example.com", "scheme 'javascript' is not allowed"),
    ("file:///etc/passwd", "scheme 'file' is not allowed"),
    ("data://text", "scheme 'data' is not allowed"),
    ("https://*.example.com", "Wildcards are not allowed"),
    ("*", "Wildcards are not allowed"),
    ("https://example.com/", "remove the trailing '/'"),
    ("https://example.com/path", "remove the path '/path'"),
    ("https://example.com?x=1", "remove the query '?x=1'"),
    ("https://example.com#top", "remove the fragment '#top'"),
    ("https://user:pass@example.com", "user name or password"),
    ("https://user@example.com", "user name or password"),
    (" https://example.com", "spaces"),
    ("https://example.com ", "spaces"),
    ("https://exa mple.com", "spaces"),
    ("https://example.com\n", "spaces"),
    ("https://", "needs a host name"),
    ("https://:443", "needs a host name"),
    ("https://example.com:0", "port '0' must be a number"),
    ("https://example.com:65536", "port '65536' must be a number"),
    ("https://example.com:http", "port 'http' must be a number"),
    ("https://example.com:", "port '' must be a number"),
    ("http://::1", "must be written in brackets"),
    ("http://[::1", "closed with ']'"),
    ("http://[not:an:ip]", "not a valid IPv6 address"),
    ("http://[::1]x", "Only a port may follow"),
    ("http://999.0.0.1", "not a valid IPv4 address"),
    ("https://ex_ample.com", "not a valid host name"),
    ("https://-bad.example", "not a valid host name"),
    ("https://example.com.", "must not end with a dot"),
    ("https://" + "a" * 250 + ".com", "longer than 255"),
]


@pytest.mark.parametrize(("raw", "expected"), VALID)
def test_valid_origins_normalise_to_the_browser_form(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize(("raw", "message"), INVALID)
def test_invalid_origins_are_refused_with_a_precise_message(raw, message):
    with pytest.raises(ValidationError) as error:
        normalise(raw)
    assert message in error.value.messages[0]


@pytest.mark.parametrize("value", [None, 12, ["https://example.com"], {"a": 1}])
def test_non_strings_are_refused(value):
    with pytest.raises(ValidationError, match="must be a string"):
        normalise(value)


def test_the_table_is_large_enough():
    assert len(VALID) + len(INVALID) >= 30
