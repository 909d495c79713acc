"""The circuit breaker in front of Redis (process_caches/breaker.py): after one failure every call fails at
once, and a background probe closes it when Redis answers."""

import time

import pytest
import redis

from bench.server import free_port
from process_caches import breaker


def test_after_one_failure_calls_fail_at_once_until_redis_answers(monkeypatch):
    monkeypatch.setattr(breaker, "PROBE_SECONDS", 0.05)
    pool = breaker.BreakerPool(host="127.0.0.1", port=free_port(), socket_timeout=0.2, socket_connect_timeout=0.2)
    client = redis.Redis(connection_pool=pool)
    with pytest.raises(redis.exceptions.ConnectionError):
        client.get("x")  # refused: opens the breaker
    assert pool.breaker.is_open
    started = time.monotonic()
    for _ in range(100):
        with pytest.raises(redis.exceptions.ConnectionError, match="breaker open"):
            client.get("x")
    assert time.monotonic() - started < 0.1
    monkeypatch.setattr(pool, "_ping", lambda: None)  # Redis answers again
    pool.breaker._probe = pool._ping
    deadline = time.monotonic() + 2
    while pool.breaker.is_open and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not pool.breaker.is_open
