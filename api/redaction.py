"""Never echo anything that looks like a token value (issue 16.8): a value pasted into an
API path would otherwise come back in the 404 body and go to the request log. Ids are 20
characters; token values 42 (tokens/values.py); any run of 30 or more id characters is
treated as a secret, in error bodies and, through RedactSecrets, in log records."""

import logging
import re

SECRET_LIKE = re.compile(r"[0-9A-Za-z_-]{30,}")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    return SECRET_LIKE.sub(REDACTED, text)


class RedactSecrets(logging.Filter):
    """On the loggers that print request paths (django.request, django.server, warden.api)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
