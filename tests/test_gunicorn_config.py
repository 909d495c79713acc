"""Issue 16.8: config/gunicorn.py pins what gunicorn would otherwise take from a proxy's headers."""

import runpy
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[1] / "config" / "gunicorn.py"


def test_forwarding_headers_and_script_name_are_pinned(monkeypatch):
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "*")
    monkeypatch.setenv("SCRIPT_NAME", "/forged")
    config = runpy.run_path(str(CONFIG))
    assert config["forwarded_allow_ips"] == ""
    assert config["secure_scheme_headers"] == {}
    assert config["raw_env"] == ["SCRIPT_NAME="]
