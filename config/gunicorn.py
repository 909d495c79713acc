"""gunicorn settings for production and benchmarks: one worker per core.

gthread rather than sync: sync workers close the connection after every response,
so API clients (the Okta SDKs keep connections open) would pay a TCP handshake per
call. One thread per worker by default keeps each process single-threaded, as with
sync; GUNICORN_THREADS raises it where slow clients are expected (each thread holds
its own database connection)."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 1))
keepalive = 5  # seconds an idle keep-alive connection stays open
accesslog = None  # access logs would carry query strings; Warden never puts secrets there, but keep it quiet
# Pinned, whatever the environment says (issue 16.8): gunicorn would otherwise believe forwarding
# headers, and a SCRIPT_NAME header, from FORWARDED_ALLOW_IPS (loopback by default), and a forged
# SCRIPT_NAME would reach absolute URLs such as Link headers. Warden reads X-Forwarded-For itself
# (zones/client_ip.py, TRUSTED_PROXIES) and X-Forwarded-Proto through Django (BEHIND_TLS_PROXY).
forwarded_allow_ips = ""
secure_scheme_headers = {}
raw_env = ["SCRIPT_NAME="]
