"""DPoP proofs (RFC 9449), verified by jwcrypto: a JWS with `typ: dpop+jwt`, an RS256 or ES256 signature by the
public key in its own header, bound to the method (`htm`) and URL (`htu`, at the configured org URL: never the
Host header), issued within ±60 s (`iat`), with a `jti` never seen before in any process (oauth/replay.py), and
on API calls bound to the access token (`ath`). The token endpoint also asks for a server nonce (Okta's round
trip: 400 `use_dpop_nonce` with a `DPoP-Nonce` header); nonces are stateless (an HMAC of the time window),
so every process accepts every other's, for the current and the previous window."""

import base64
import hashlib
import hmac
import json
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from jwcrypto import jwk, jws

from oauth import replay

ALGORITHMS = {"RS256": "RSA", "ES256": "EC"}
MAX_PROOF = 8192
IAT_SKEW = 60
NONCE_WINDOW = 300


class ProofError(Exception):
    """An unacceptable proof; the message is safe to show (it never repeats the proof)."""


class NonceRequired(ProofError):
    pass


@dataclass(frozen=True)
class Proof:
    jkt: str  # RFC 7638 thumbprint of the proof's key


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _nonce_for(window: int) -> str:
    secret = hashlib.sha256(("warden-dpop-nonce\x00" + settings.SECRET_KEY).encode()).digest()
    mac = hmac.new(secret, str(window).encode(), hashlib.sha256).digest()[:18]
    return f"{window}.{_b64(mac)}"


def new_nonce() -> str:
    return _nonce_for(int(time.time()) // NONCE_WINDOW)


def nonce_ok(nonce: object) -> bool:
    if not isinstance(nonce, str) or len(nonce) > 100:
        return False
    window = int(time.time()) // NONCE_WINDOW
    return any(hmac.compare_digest(nonce, _nonce_for(w)) for w in (window, window - 1))


def ath(access_token: str) -> str:
    return _b64(hashlib.sha256(access_token.encode()).digest())


def same_url(htu: object, expected: str) -> bool:
    if not isinstance(htu, str) or len(htu) > 2048:
        return False
    try:
        got, want = urlsplit(htu), urlsplit(expected)
    except ValueError:
        return False
    return (got.scheme.lower(), got.netloc.lower(), got.path or "/") == (
        want.scheme.lower(),
        want.netloc.lower(),
        want.path or "/",
    )


def verify(
    proof: str | None, *, method: str, url: str, access_token: str | None = None, need_nonce: bool = False
) -> Proof:
    if not proof:
        raise ProofError("The DPoP proof JWT header is missing.")
    if len(proof) > MAX_PROOF or "," in proof or proof.count(".") != 2:
        raise ProofError("The DPoP proof is not a single compact JWS.")
    try:
        token = jws.JWS()
        token.deserialize(proof)
        header = token.jose_header
    except Exception as error:
        raise ProofError("The DPoP proof JWT is malformed.") from error
    if not isinstance(header, dict) or header.get("typ") != "dpop+jwt":
        raise ProofError("The DPoP proof JWT must have typ dpop+jwt.")
    alg = header.get("alg")
    public = header.get("jwk")
    if alg not in ALGORITHMS or not isinstance(public, dict) or public.get("kty") != ALGORITHMS[alg]:
        raise ProofError("The DPoP proof must be signed with RS256 or ES256 by the key in its jwk header.")
    if "d" in public:
        raise ProofError("The DPoP proof's jwk header must hold a public key.")
    try:
        key = jwk.JWK(**{k: v for k, v in public.items() if k in ("kty", "n", "e", "crv", "x", "y")})
        token.verify(key, alg=alg)
        claims = json.loads(token.payload)
    except Exception as error:
        raise ProofError("The DPoP proof signature is invalid.") from error
    if not isinstance(claims, dict):
        raise ProofError("The DPoP proof JWT is malformed.")
    if claims.get("htm") != method:
        raise ProofError("The DPoP proof htm does not match the request method.")
    if not same_url(claims.get("htu"), url):
        raise ProofError("The DPoP proof htu does not match the request URL.")
    iat = claims.get("iat")
    finite = isinstance(iat, int | float) and not isinstance(iat, bool) and math.isfinite(iat)
    if not finite or abs(time.time() - iat) > IAT_SKEW:
        raise ProofError("The DPoP proof iat is not within 60 seconds of the server's time.")
    if access_token is not None and claims.get("ath") != ath(access_token):
        raise ProofError("The DPoP proof ath does not match the access token.")
    jti = claims.get("jti")
    if not isinstance(jti, str) or not 0 < len(jti) <= 256:
        raise ProofError("The DPoP proof jti is missing.")
    if need_nonce and not nonce_ok(claims.get("nonce")):
        raise NonceRequired("Authorization server requires nonce in DPoP proof.")
    jkt = key.thumbprint()
    until = datetime.fromtimestamp(iat, UTC) + timedelta(seconds=2 * IAT_SKEW)
    if not replay.first_use("dpop", jkt, jti, until):
        raise ProofError("The DPoP proof jti has already been used.")
    return Proof(jkt=jkt)
