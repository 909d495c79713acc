"""The official Okta Node.js SDK (`@okta/okta-sdk-nodejs`, pinned in package.json
and package-lock.json here) against a live gunicorn Warden: `node --test` runs the
`*.test.js` files of this folder with the org URL and the seed (tests/sdk_live.py)
in its environment. What they cover is said at the top of each file.

`.ci/run` installs the SDK with `npm ci` and sets WARDEN_REQUIRE_NODE_SDK=1, which
turns a missing install into a failure; elsewhere it is a loud skip."""

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from bench.server import gunicorn
from oauth import services as oauth_services
from tests.sdk_live import live_env, require_live, seed_org

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]
HERE = Path(__file__).resolve().parent
TIMEOUT_SECONDS = 120  # the suite takes about 15 s; a hang must not hold CI


def _require_node_sdk() -> str:
    node = shutil.which("node")
    if node and (HERE / "node_modules" / "@okta" / "okta-sdk-nodejs").is_dir():
        return node
    message = "NODE SDK TESTS NOT RUN: they need node (Debian's nodejs) and `npm ci` in tests/sdk_node, as .ci/run does"
    if os.environ.get("WARDEN_REQUIRE_NODE_SDK") == "1":
        pytest.fail(message)
    pytest.skip(message)


NODE_SCOPES = ["okta.apiTokens.read", "okta.networkZones.read", "okta.networkZones.manage", "okta.logs.read"]


def service_app(*, require_dpop: bool) -> dict:
    """A service app for oauth.test.js (PrivateKey mode): a generated key, its scopes, the super admin role."""
    app = oauth_services.app_create(name="Node SDK service app", require_dpop=require_dpop)
    key, private_pem = oauth_services.key_generate(app=app)
    for scope in NODE_SCOPES:
        oauth_services.scope_grant(app=app, scope=scope)
    oauth_services.role_assign(app=app, role_type="SUPER_ADMIN")
    return {"clientId": app.id, "kid": key.kid, "privateKey": private_pem, "scopes": NODE_SCOPES}


def test_the_official_node_sdk_suite_passes_against_live_warden():
    node = _require_node_sdk()
    require_live()
    seed = seed_org()
    apps = json.dumps({"bearer": service_app(require_dpop=False), "dpop": service_app(require_dpop=True)})
    with gunicorn(workers=2, env=live_env()) as base:
        env = {
            **os.environ,
            "WARDEN_ORG_URL": base,
            "WARDEN_SDK_SEED": seed.as_json(),
            "WARDEN_OAUTH_APPS": apps,
            "NO_COLOR": "1",
        }
        started = time.monotonic()
        try:
            run = subprocess.run(
                [node, "--test", "--test-concurrency=1", "--test-timeout=30000", "--test-reporter=spec"],
                cwd=HERE,
                env=env,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
            )
        except subprocess.TimeoutExpired as expired:
            pytest.fail(f"node --test did not finish within {TIMEOUT_SECONDS} s:\n{expired.stdout}\n{expired.stderr}")
    output = run.stdout + run.stderr
    print(f"node --test took {time.monotonic() - started:.1f} s\n{output}")
    assert run.returncode == 0, output
