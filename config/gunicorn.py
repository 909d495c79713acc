"""gunicorn settings for production and benchmarks: one worker per core."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "sync"
keepalive = 5
accesslog = None  # access logs would carry query strings; Warden never puts secrets there, but keep it quiet
