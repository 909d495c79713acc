"""The counters: one Redis round trip per API request for every bucket it touches.

A request touches three buckets of its group: the caller's (token or session user),
its owner's (all of one person's tokens and console session together) and the
org-wide one. One Lua script (EVALSHA, reloaded on NOSCRIPT by redis-py's Script)
reads the window from the Redis clock (TIME), counts the caller, counts the owner
only when the caller's bucket admitted the request and the org only when the
owner's did, notes the caller in the window's "busiest" sorted set and claims the
once-per-window warning and violation flags. A bucket that was not counted is
still read, for the X-Rate-Limit headers. Keys carry the group, the caller and the window start, never
the limit. On the embedded default (LocMemCache, one process) the same
arithmetic runs in-process against the cache.

The script also checks a token snapshot's authorization epoch (tokens/snapshots.py,
docs/decisions/21) before counting anything: unless the shared copy equals it exactly
(a missing copy never does) the answer is STALE and nothing is counted, so the caller
decides again from the database and calls once more. A decision read from the
database instead passes the durable epoch it read, which the script announces
(forward only) in the same round trip."""

import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from tokens import snapshots

LUA = """
if ARGV[7] ~= '' and redis.call('GET', KEYS[5]) ~= ARGV[7] then return {-1} end
if ARGV[8] ~= '' then
  local current = redis.call('GET', KEYS[5])
  if not current or tonumber(ARGV[8]) > tonumber(current) then redis.call('SET', KEYS[5], ARGV[8]) end
end
local t = redis.call('TIME')
local now = tonumber(t[1])
local w = tonumber(ARGV[1])
local start = now - (now % w)
local ttl = w + 5
local caller_limit, owner_limit, org_limit = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local warn_pct = tonumber(ARGV[5])
local function count(key)
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('EXPIRE', key, ttl) end
  return n
end
local function read(key) return tonumber(redis.call('GET', key) or '0') end
local function flag(key)
  if redis.call('SET', key, 1, 'NX', 'EX', ttl) then return 1 end
  return 0
end
local function events(key, n, limit, admitted)
  local warn, violation = 0, 0
  if n * 100 >= limit * warn_pct then warn = flag(key .. ':warn:' .. start) end
  if not admitted then violation = flag(key .. ':violation:' .. start) end
  return warn, violation
end
local ck, uk, ok = KEYS[1], KEYS[2], KEYS[3]
local c = count(ck .. ':' .. start)
local top = KEYS[4] .. ':' .. start
redis.call('ZINCRBY', top, 1, ARGV[6])
redis.call('EXPIRE', top, ttl)
local caller_ok = c <= caller_limit
local u, o = 0, 0
if caller_ok then u = count(uk .. ':' .. start) else u = read(uk .. ':' .. start) end
local owner_ok = caller_ok and u <= owner_limit
if owner_ok then o = count(ok .. ':' .. start) else o = read(ok .. ':' .. start) end
local cw, cv = events(ck, c, caller_limit, caller_ok)
local uw, uv, ow, ov = 0, 0, 0, 0
if caller_ok then uw, uv = events(uk, u, owner_limit, owner_ok) end
if owner_ok then ow, ov = events(ok, o, org_limit, o <= org_limit) end
return {c, u, o, start + w, cw, cv, uw, uv, ow, ov}
"""


STALE = "stale"  # hit()'s answer when the expected authorization epoch is no longer current


class StoreUnavailable(Exception):
    """The shared counter store could not be reached."""


@dataclass(frozen=True)
class Limits:
    """The three buckets' sizes for one request (ratelimits/policy.py)."""

    caller: int
    owner: int
    org: int


@dataclass
class Outcome:
    caller_count: int
    owner_count: int
    org_count: int
    reset: int  # epoch seconds when this window ends
    caller_warning: bool  # first time this window the caller's bucket crossed the warning threshold
    caller_violation: bool
    owner_warning: bool
    owner_violation: bool
    org_warning: bool
    org_violation: bool


def _is_redis() -> bool:
    return settings.CACHES["default"]["BACKEND"].startswith("django_redis")


def _names(group: str, caller: str, owner: str) -> tuple[str, str, str, str]:
    """The caller's, the owner's and the org's counters and the busiest set (before the cache's prefix)."""
    return (f"rl:{group}:{caller}", f"rl:{group}:owner:{owner}", f"rl:{group}:org", f"rl:{group}:top")


def keys(group: str, caller: str, owner: str) -> tuple[str, str, str, str]:
    return tuple(cache.make_key(name) for name in _names(group, caller, owner))


def _redis():
    from django_redis import get_redis_connection

    return get_redis_connection("default")


_script = None  # redis-py Script: EVALSHA, and on NOSCRIPT one SCRIPT LOAD then EVALSHA again


def _redis_script():
    global _script
    if _script is None:
        _script = _redis().register_script(LUA)
    return _script


def hit(
    group: str,
    caller: str,
    owner: str,
    limits: Limits,
    *,
    epoch: str | None = None,
    announce: str | None = None,
) -> Outcome | str:
    """Count one request; STALE (nothing counted) when `epoch` is given and is not the shared one. `announce`
    is a durable epoch just read from the database, copied to the shared one when it is newer."""
    window = settings.RATE_LIMIT_WINDOW_SECONDS
    warn = settings.RATE_LIMIT_WARNING_PERCENT
    if _is_redis():
        import redis

        try:
            result = _redis_script()(
                keys=[*keys(group, caller, owner), cache.make_key(snapshots.EPOCH_KEY)],
                args=[window, limits.caller, limits.owner, limits.org, warn, caller, epoch or "", announce or ""],
                client=_redis(),
            )
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError) as exc:
            raise StoreUnavailable(str(exc)) from exc
        if int(result[0]) < 0:
            return STALE
        c, u, o, reset, *flags = (int(x) for x in result)
        return Outcome(c, u, o, reset, *(bool(f) for f in flags))
    if epoch is not None and snapshots.shared_epoch() != epoch:
        return STALE
    if announce is not None:
        snapshots.announce(int(announce))
    return _local_hit(group, caller, owner, limits, window, warn)


_local_lock = threading.Lock()


def _local_hit(group, caller, owner, limits: Limits, window, warn) -> Outcome:
    """The Lua script's arithmetic against the process's own cache (LocMemCache)."""
    now = int(time.time())
    start = now - now % window
    ttl = window + 5
    ck, uk, ok, topk = _names(group, caller, owner)

    def count(key):
        cache.add(key, 0, ttl)
        return cache.incr(key)

    def flag(key):
        return cache.add(key, 1, ttl)

    def events(key, n, limit, admitted):
        w = n * 100 >= limit * warn and flag(f"{key}:warn:{start}")
        v = (not admitted) and flag(f"{key}:violation:{start}")
        return bool(w), bool(v)

    with _local_lock:
        c = count(f"{ck}:{start}")
        top = cache.get(f"{topk}:{start}") or {}
        top[caller] = top.get(caller, 0) + 1
        cache.set(f"{topk}:{start}", top, ttl)
        caller_ok = c <= limits.caller
        u = count(f"{uk}:{start}") if caller_ok else (cache.get(f"{uk}:{start}") or 0)
        owner_ok = caller_ok and u <= limits.owner
        o = count(f"{ok}:{start}") if owner_ok else (cache.get(f"{ok}:{start}") or 0)
        cw, cv = events(ck, c, limits.caller, caller_ok)
        uw, uv = events(uk, u, limits.owner, owner_ok) if caller_ok else (False, False)
        ow, ov = events(ok, o, limits.org, o <= limits.org) if owner_ok else (False, False)
    return Outcome(c, u, o, start + window, cw, cv, uw, uv, ow, ov)


def usage(group: str, top: int = 5) -> tuple[int, list[tuple[str, int]]]:
    """This window's org-wide count for a group and the busiest callers (id, requests)."""
    window = settings.RATE_LIMIT_WINDOW_SECONDS
    if _is_redis():
        conn = _redis()
        now = int(conn.time()[0])
        start = now - now % window
        _, _, ok, topk = keys(group, "-", "-")
        pipe = conn.pipeline()
        pipe.get(f"{ok}:{start}")
        pipe.zrevrange(f"{topk}:{start}", 0, top - 1, withscores=True)
        org, busiest = pipe.execute()
        return int(org or 0), [(m.decode(), int(s)) for m, s in busiest]
    now = int(time.time())
    start = now - now % window
    org = cache.get(f"rl:{group}:org:{start}") or 0
    counts = cache.get(f"rl:{group}:top:{start}") or {}
    return org, sorted(counts.items(), key=lambda kv: -kv[1])[:top]
