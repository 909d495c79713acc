"""Keys, with jwcrypto (docs/decisions/24): importing an app's public key (a pasted JWK or PEM), generating an
RSA 2048 pair whose private half is shown once, the authorization server's signing keys, and encrypting
private keys at rest with the key-encryption key from the environment (Fernet, from `cryptography`).

OAUTH_KEY_ENCRYPTION_KEY holds one or more comma-separated Fernet keys, newest first: new private keys are
encrypted with the first, any of them decrypts (MultiFernet), so the KEK itself rotates with an overlap."""

import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from jwcrypto import jwk

ALGORITHMS = {"RSA": "RS256", "EC": "ES256"}
MAX_KEY_TEXT = 16_384


def _fernet() -> MultiFernet:
    keys = [k.strip() for k in (settings.OAUTH_KEY_ENCRYPTION_KEY or "").split(",") if k.strip()]
    if not keys:
        raise ImproperlyConfigured(
            "Set OAUTH_KEY_ENCRYPTION_KEY (a Fernet key: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())') to sign OAuth access tokens."
        )
    try:
        return MultiFernet([Fernet(k) for k in keys])
    except ValueError as error:
        raise ImproperlyConfigured("OAUTH_KEY_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64 bytes)") from error


def encrypt(secret: bytes) -> bytes:
    return _fernet().encrypt(secret)


def decrypt(sealed: bytes) -> bytes:
    try:
        return _fernet().decrypt(bytes(sealed))
    except InvalidToken as error:
        raise ImproperlyConfigured("A signing key does not decrypt with OAUTH_KEY_ENCRYPTION_KEY") from error


def public_jwk(text: str, kid: str | None = None) -> dict:
    """A pasted public key (JWK JSON or PEM) as a public JWK with a `kid` (its thumbprint when none is given).
    Refuses private keys (a private key pasted here would be stored), symmetric keys and anything but RSA
    (2048 bits or more) and EC P-256."""
    text = (text or "").strip()
    if not text or len(text) > MAX_KEY_TEXT or "\x00" in text:
        raise ValidationError({"key": ["Paste a public key as a JWK or in PEM form."]})
    try:
        if text.startswith("{"):
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            if "d" in data:
                raise ValidationError({"key": ["This is a private key: paste the public key only."]})
            key = jwk.JWK(**{k: v for k, v in data.items() if k in ("kty", "n", "e", "crv", "x", "y", "kid", "use")})
        else:
            if "PRIVATE KEY" in text:
                raise ValidationError({"key": ["This is a private key: paste the public key only."]})
            key = jwk.JWK.from_pem(text.encode())
    except ValidationError:
        raise
    except Exception as error:  # jwcrypto raises several types for unreadable input
        raise ValidationError({"key": ["This is not a readable JWK or PEM public key."]}) from error
    if key.has_private:
        raise ValidationError({"key": ["This is a private key: paste the public key only."]})
    exported = key.export_public(as_dict=True)
    kty = exported.get("kty")
    if kty == "RSA":
        if key.get_op_key("verify").key_size < 2048:
            raise ValidationError({"key": ["RSA keys must have at least 2048 bits."]})
    elif not (kty == "EC" and exported.get("crv") == "P-256"):
        raise ValidationError({"key": ["Use an RSA (2048 bits or more) or EC P-256 key."]})
    exported["kid"] = (kid or exported.get("kid") or key.thumbprint())[:100]
    exported["use"] = "sig"
    exported["alg"] = ALGORITHMS[kty]
    return exported


def generate_rsa(kid: str | None = None) -> tuple[dict, str]:
    """A new RSA 2048 pair: the public JWK (to store) and the private key as a PEM (to show once)."""
    key = jwk.JWK.generate(kty="RSA", size=2048)
    public = key.export_public(as_dict=True)
    public.update(kid=kid or key.thumbprint(), use="sig", alg="RS256")
    private_pem = key.export_to_pem(private_key=True, password=None).decode()
    return public, private_pem


def thumbprint(public: dict) -> str:
    """RFC 7638 SHA-256 thumbprint, base64url (DPoP's `cnf.jkt`)."""
    return jwk.JWK(**public).thumbprint()


def key_from_jwk(public: dict) -> jwk.JWK:
    return jwk.JWK(**public)
