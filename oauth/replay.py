""" "Seen before?" for client-assertion and DPoP-proof `jti`s, across every process: one INSERT into
oauth.UsedJti, whose primary key is a digest of (kind, issuer, jti). A duplicate is a replay. The row is kept
until the assertion or proof could no longer be accepted anyway, then purged (now and then, by whoever
inserts). The database is the store on purpose: it is durable and shared, and when it cannot answer the
request fails (503) rather than accept a jti nobody could check (fail closed)."""

import hashlib
import secrets
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from oauth.models import UsedJti

PURGE_ONE_IN = 100


def first_use(kind: str, issuer: str, jti: str, until: datetime) -> bool:
    digest = hashlib.sha256("\x00".join((kind, issuer, jti)).encode()).hexdigest()
    try:
        with transaction.atomic():
            UsedJti.objects.create(digest=digest, expires_at=until)
    except IntegrityError:
        return False
    if secrets.randbelow(PURGE_ONE_IN) == 0:
        purge()
    return True


def purge() -> int:
    return UsedJti.objects.filter(expires_at__lt=timezone.now()).delete()[0]
