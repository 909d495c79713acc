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
-- Token usage (docs/decisions/34), only when KEYS[6] is given: per-address hourly counts (at most ARGV[11]
-- addresses an hour, the rest as "other"), requests per day, the last five (address, user agent) pairs.
local usage = {}
if KEYS[6] then
  local base, pair = KEYS[6], ARGV[10]
  local seen = string.format('%d.%06d', now, tonumber(t[2]))  -- microseconds: pairs seen in one second keep their order
  local hk = base .. ':h:' .. (now - (now % 3600))
  local field = ARGV[9]
  local new_address = redis.call('HEXISTS', hk, field) == 0
  if new_address and redis.call('HLEN', hk) - redis.call('HEXISTS', hk, 'other') >= tonumber(ARGV[11]) then
    field = 'other'
  end
  redis.call('HINCRBY', hk, field, 1)
  if new_address then redis.call('EXPIRE', hk, 8 * 86400) end  -- the hash's TTL, set when its first address came
  local dk, pk, fk = base .. ':d', base .. ':p', base .. ':f'
  local fresh = redis.call('HINCRBY', dk, tostring(now - (now % 86400)), 1) == 1  -- the day's first request
  if redis.call('ZADD', pk, seen, pair) == 1 then  -- a new pair: note when it was first seen, keep five
    redis.call('HSET', fk, pair, seen)
    if redis.call('ZCARD', pk) > 5 then
      local gone = redis.call('ZRANGE', pk, 0, -6)
      redis.call('ZREMRANGEBYRANK', pk, 0, -6)
      redis.call('HDEL', fk, unpack(gone))
    end
    fresh = true
  end
  if fresh then  -- at least once a day while the token is used: the day and pair keys outlive 30 days unused only
    redis.call('EXPIRE', dk, 31 * 86400)
    redis.call('EXPIRE', pk, 31 * 86400)
    redis.call('EXPIRE', fk, 31 * 86400)
  end
  if ARGV[12] == '1' then
    local days = redis.call('HGETALL', dk)
    local oldest = now - (now % 86400) - 29 * 86400
    for i = 1, #days, 2 do
      if tonumber(days[i]) < oldest then redis.call('HDEL', dk, days[i]) end
    end
    local recent = redis.call('ZREVRANGE', pk, 0, 4, 'WITHSCORES')
    local firsts = {}
    for i = 1, #recent, 2 do firsts[#firsts + 1] = redis.call('HGET', fk, recent[i]) or recent[i + 1] end
    usage = {days, recent, firsts, tostring(now)}
  end
end
return {c, u, o, start + w, cw, cv, uw, uv, ow, ov, usage}
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
    usage: dict | None = None  # the token's usage summary, when the caller asked for it (see Usage)


# --- token usage (docs/decisions/34) -------------------------------------------------------------------------
USAGE_ADDRESSES_PER_HOUR = 100  # per token; further addresses in that hour count as "other"
USAGE_AGENT_CHARS = 200  # a user agent is kept to this many characters


@dataclass(frozen=True)
class Usage:
    """What to count for a token's request: who, from where, with what; `summary` asks for the usage summary
    (requests per day for 30 days, the last five pairs) back, which the renewal writes with the token's row."""

    token_id: str
    address: str
    agent: str
    summary: bool = False


def usage_base(token_id: str) -> str:
    return cache.make_key(f"usage:{token_id}")


def _summary(days: dict[int, int], recent: list[tuple[str, float, float]], now: int) -> dict:
    """days: {day start (epoch seconds): requests}; recent: [(pair, first, last)], newest first."""
    oldest = now - now % 86400 - 29 * 86400
    return {
        "days": {str(day): count for day, count in sorted(days.items()) if day >= oldest},
        "pairs": [
            {"address": pair.split("\n", 1)[0], "agent": pair.split("\n", 1)[1], "first": first, "last": last}
            for pair, first, last in recent
        ],
    }


def _parse_usage(raw) -> dict | None:
    if not raw:
        return None
    days_flat, recent_flat, firsts, now = raw
    days = {int(days_flat[i]): int(days_flat[i + 1]) for i in range(0, len(days_flat), 2)}
    recent = [
        (recent_flat[i].decode(), float(firsts[i // 2]), float(recent_flat[i + 1]))
        for i in range(0, len(recent_flat), 2)
    ]
    return _summary(days, recent, int(now))


def hourly(token_id: str, hours: int = 168) -> dict[int, dict[str, int]]:
    """Requests per address per hour for the last `hours` hours (at most 7 days kept): {hour start: {address or
    "other": requests}}. What the zone dry run reads."""
    now = int(time.time())
    starts = [now - now % 3600 - 3600 * i for i in range(min(hours, 168))]
    base = usage_base(token_id)
    if _is_redis():
        pipe = _redis().pipeline()
        for start in starts:
            pipe.hgetall(f"{base}:h:{start}")
        rows = pipe.execute()
        return {
            start: {k.decode(): int(v) for k, v in row.items()} for start, row in zip(starts, rows, strict=True) if row
        }
    found = {}
    for start in starts:
        row = cache.get(f"usage:{token_id}:h:{start}")
        if row:
            found[start] = dict(row)
    return found


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
    usage: Usage | None = None,
) -> Outcome | str:
    """Count one request; STALE (nothing counted) when `epoch` is given and is not the shared one. `announce`
    is a durable epoch just read from the database, copied to the shared one when it is newer. `usage` counts
    the request in its token's usage too, in the same round trip."""
    window = settings.RATE_LIMIT_WINDOW_SECONDS
    warn = settings.RATE_LIMIT_WARNING_PERCENT
    if _is_redis():
        import redis

        script_keys = [*keys(group, caller, owner), cache.make_key(snapshots.EPOCH_KEY)]
        args = [window, limits.caller, limits.owner, limits.org, warn, caller, epoch or "", announce or ""]
        if usage is not None:
            script_keys.append(usage_base(usage.token_id))
            pair = f"{usage.address}\n{usage.agent[:USAGE_AGENT_CHARS]}"
            args += [usage.address, pair, USAGE_ADDRESSES_PER_HOUR, "1" if usage.summary else "0"]
        try:
            result = _redis_script()(keys=script_keys, args=args, client=_redis())
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError) as exc:
            raise StoreUnavailable(str(exc)) from exc
        if int(result[0]) < 0:
            return STALE
        c, u, o, reset, *flags = (int(x) for x in result[:10])
        return Outcome(c, u, o, reset, *(bool(f) for f in flags), usage=_parse_usage(result[10]))
    if epoch is not None and snapshots.shared_epoch() != epoch:
        return STALE
    if announce is not None:
        snapshots.announce(int(announce))
    outcome = _local_hit(group, caller, owner, limits, window, warn)
    if usage is not None:
        outcome.usage = _local_usage(usage)
    return outcome


def _local_usage(usage: Usage) -> dict | None:
    """The script's usage arithmetic against the process's own cache (LocMemCache)."""
    seen = time.time()
    now = int(seen)
    base = f"usage:{usage.token_id}"
    pair = f"{usage.address}\n{usage.agent[:USAGE_AGENT_CHARS]}"
    with _local_lock:
        hour_key = f"{base}:h:{now - now % 3600}"
        hour = cache.get(hour_key) or {}
        field = usage.address
        if field not in hour and len(hour) - ("other" in hour) >= USAGE_ADDRESSES_PER_HOUR:
            field = "other"
        hour[field] = hour.get(field, 0) + 1
        cache.set(hour_key, hour, 8 * 86400)
        days = cache.get(f"{base}:d") or {}
        day = now - now % 86400
        days[day] = days.get(day, 0) + 1
        recent = cache.get(f"{base}:p") or {}  # pair -> (first, last)
        first = recent.get(pair, (seen, seen))[0]
        recent[pair] = (first, seen)
        recent = dict(sorted(recent.items(), key=lambda kv: -kv[1][1])[:5])
        cache.set(f"{base}:d", days, 31 * 86400)
        cache.set(f"{base}:p", recent, 31 * 86400)
    if not usage.summary:
        return None
    return _summary(days, [(p, float(f), float(last)) for p, (f, last) in recent.items()], now)


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
