"""The org authorization server's signing keys: one ACTIVE key signs, RETIRING keys still verify (and stay in
/oauth2/v1/keys) until every token they signed has expired, then `manage.py oauth_signing_keys --rotate`
deletes them. The first key is created on first use (or by the command); the private key is stored only
encrypted (oauth/crypto.py). Decrypted keys are kept per process, keyed by kid (a registered process cache)."""

import threading
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from jwcrypto import jwk

from oauth import crypto
from oauth.models import SigningKey, SigningStatus
from process_caches import register


class SigningKeys:
    name = "oauth signing keys"

    def __init__(self):
        self._private: dict[str, jwk.JWK] = {}
        self._lock = threading.Lock()

    def private(self, key: SigningKey) -> jwk.JWK:
        with self._lock:
            cached = self._private.get(key.kid)
        if cached is None:
            cached = jwk.JWK.from_pem(crypto.decrypt(key.private_key_encrypted))
            with self._lock:
                self._private[key.kid] = cached
        return cached

    def reset(self) -> None:
        with self._lock:
            self._private.clear()


keys_cache = register(SigningKeys())


def _new_key(status: str = SigningStatus.ACTIVE) -> SigningKey:
    key = jwk.JWK.generate(kty="RSA", size=2048)
    kid = key.thumbprint()
    public = key.export_public(as_dict=True)
    public.update(kid=kid, use="sig", alg="RS256")
    sealed = crypto.encrypt(key.export_to_pem(private_key=True, password=None))
    return SigningKey(kid=kid, status=status, public_jwk=public, private_key_encrypted=sealed)


def active_key() -> SigningKey:
    """The key that signs; created on first use (a concurrent creator's key wins the one-ACTIVE constraint)."""
    key = SigningKey.objects.filter(status=SigningStatus.ACTIVE).first()
    if key is not None:
        return key
    candidate = _new_key()
    try:
        with transaction.atomic():
            candidate.save(force_insert=True)
        return candidate
    except IntegrityError:
        return SigningKey.objects.get(status=SigningStatus.ACTIVE)


def verifying_keys() -> list[SigningKey]:
    return list(SigningKey.objects.all())


def published() -> list[dict]:
    """The public keys (active first), as /oauth2/v1/keys lists them."""
    keys = sorted(verifying_keys(), key=lambda k: k.status != SigningStatus.ACTIVE)
    return [k.public_jwk for k in keys]


def overlap() -> timedelta:
    return timedelta(seconds=settings.OAUTH_ACCESS_TOKEN_SECONDS + 300)


def rotate() -> tuple[SigningKey, list[str]]:
    """A new ACTIVE key; the previous one RETIRING; keys retired longer ago than a token lives are deleted."""
    now = timezone.now()
    with transaction.atomic():
        SigningKey.objects.select_for_update().filter(status=SigningStatus.ACTIVE).update(
            status=SigningStatus.RETIRING, retired_at=now
        )
        key = _new_key()
        key.save(force_insert=True)
        gone = list(
            SigningKey.objects.filter(status=SigningStatus.RETIRING, retired_at__lt=now - overlap()).values_list(
                "kid", flat=True
            )
        )
        SigningKey.objects.filter(kid__in=gone).delete()
    return key, gone
