"""API token values: 42 characters, `00` + 34 random base62 characters
(202 bits) + a 6-character checksum, so a mistyped or forged value is refused
before any database query. Only SHA-256(value) is stored: a high-entropy
secret needs no slow key-derivation function."""

import hashlib
import secrets
import zlib

from api.ids import ALPHABET

PREFIX = "00"
RANDOM_LENGTH = 34
CHECK_LENGTH = 6
LENGTH = len(PREFIX) + RANDOM_LENGTH + CHECK_LENGTH  # 42
_ALLOWED = frozenset(ALPHABET)


def _checksum(body: str) -> str:
    number = zlib.crc32(body.encode("ascii"))
    chars = []
    for _ in range(CHECK_LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def generate() -> str:
    body = PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + _checksum(body)


def well_formed(value: str) -> bool:
    """Length, prefix, alphabet and checksum: no query for values that fail."""
    if len(value) != LENGTH or not value.startswith(PREFIX) or not _ALLOWED.issuperset(value):
        return False
    body, check = value[:-CHECK_LENGTH], value[-CHECK_LENGTH:]
    return secrets.compare_digest(_checksum(body), check)


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()
