"""Okta-style object ids: a three-character type prefix and 17 base62
characters, 20 in all (`00u…` user, `00T…` token, `nzo…` zone, `tos…` origin)."""

import secrets
import string

ALPHABET = string.digits + string.ascii_uppercase + string.ascii_lowercase
ID_LENGTH = 20


def new_id(prefix: str) -> str:
    return prefix + "".join(secrets.choice(ALPHABET) for _ in range(ID_LENGTH - len(prefix)))


def new_error_id() -> str:
    return "oae" + "".join(secrets.choice(ALPHABET + "-_") for _ in range(22))


def new_request_id() -> str:
    return secrets.token_hex(16)  # Okta's X-Okta-Request-Id is 32 hex characters
