"""Service apps for tests: an app with a generated key, scopes and roles, and client assertions and DPoP proofs
signed with jwcrypto (the way the SDKs build them)."""

import json
import time
import uuid
from urllib.parse import urlencode

from django.conf import settings
from jwcrypto import jwk, jwt

from oauth import dpop, services
from oauth.models import ServiceApp

TOKEN_URL_PATH = "/oauth2/v1/token"
ALL_READ = ["okta.apiTokens.read", "okta.networkZones.read", "okta.trustedOrigins.read", "okta.logs.read"]


class AppUnderTest:
    def __init__(self, *, scopes=(), roles=("SUPER_ADMIN",), require_dpop=False, name="Test service app"):
        self.app = services.app_create(name=name, require_dpop=require_dpop)
        key, pem = services.key_generate(app=self.app)
        self.kid = key.kid
        self.private = jwk.JWK.from_pem(pem.encode())
        for scope in scopes:
            services.scope_grant(app=self.app, scope=scope)
        for role in roles:
            services.role_assign(app=self.app, role_type=role)

    @property
    def client_id(self) -> str:
        return self.app.id

    def assertion(self, **override) -> str:
        now = int(time.time())
        claims = {
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": settings.ORG_URL + TOKEN_URL_PATH,
            "iat": now,
            "exp": now + 300,
            "jti": str(uuid.uuid4()),
        }
        claims.update(override)
        claims = {k: v for k, v in claims.items() if v is not None}
        key = override.pop("_key", None) or self.private
        token = jwt.JWT(header={"alg": "RS256", "kid": self.kid}, claims=claims)
        token.make_signed_token(key)
        return token.serialize()

    def form(self, scope="okta.networkZones.read", **override) -> dict:
        return {
            "grant_type": "client_credentials",
            "scope": scope,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": self.assertion(**override),
        }


class ProofKey:
    def __init__(self, kty="RSA"):
        self.key = jwk.JWK.generate(kty="RSA", size=2048) if kty == "RSA" else jwk.JWK.generate(kty="EC", crv="P-256")
        self.alg = "RS256" if kty == "RSA" else "ES256"

    def proof(self, method: str, url: str, *, access_token=None, nonce=None, iat=None, jti=None, **extra) -> str:
        claims = {"jti": jti or str(uuid.uuid4()), "htm": method, "htu": url, "iat": iat or int(time.time())}
        if nonce:
            claims["nonce"] = nonce
        if access_token:
            claims["ath"] = dpop.ath(access_token)
        claims.update(extra)
        header = {"typ": "dpop+jwt", "alg": self.alg, "jwk": json.loads(self.key.export_public())}
        token = jwt.JWT(header=header, claims=claims)
        token.make_signed_token(self.key)
        return token.serialize()

    @property
    def thumbprint(self) -> str:
        return self.key.thumbprint()


def post_form(client, path: str, form: dict, **headers):
    return client.post(path, urlencode(form), content_type="application/x-www-form-urlencoded", **headers)


def get_token(client, app: AppUnderTest, scope="okta.networkZones.read", **headers):
    return post_form(client, TOKEN_URL_PATH, app.form(scope), **headers)


def make_app(**kwargs) -> AppUnderTest:
    return AppUnderTest(**kwargs)


__all__ = ["ALL_READ", "ProofKey", "ServiceApp", "AppUnderTest", "get_token", "make_app"]
