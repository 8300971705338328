"""Counting attempts before the work they guard, so that parallel requests cannot overshoot.

    limits = sign_in_limits(email)
    if not claim(limits):
        abort(429)
    ...check the password...
    release(limits)   # a success does not count against the person

Every claim increments all its counters in one Redis script, and only if none of them is
full; requests that arrive together are therefore counted one after another. Windows are
fixed (a counter per key that expires). Clients are keyed as Flask-Limiter keys them
(`web.extensions.client_address`: an IPv6 address by its /64).
"""

from __future__ import annotations

from dataclasses import dataclass

from jobs.queues import redis
from web.extensions import client_address, limiter

_CLAIM = """
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[2 * i - 1]) then
    return 0
  end
end
for i, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then
    redis.call('EXPIRE', key, ARGV[2 * i])
  end
end
return 1
"""


@dataclass(frozen=True)
class Limit:
    key: str
    count: int
    seconds: int


PREFIX = "labinov:throttle:"


def _enabled() -> bool:
    return limiter.enabled  # RATELIMIT_ENABLED, read by Flask-Limiter at start


def claim(limits: list[Limit]) -> bool:
    """Count one attempt against every limit, unless one of them is full (then nothing)."""
    if not _enabled():
        return True
    keys = [f"{PREFIX}{limit.key}:{limit.seconds}" for limit in limits]
    args = [n for limit in limits for n in (limit.count, limit.seconds)]
    return bool(redis().eval(_CLAIM, len(keys), *keys, *args))


def release(limits: list[Limit]) -> None:
    """Give an attempt back (it succeeded)."""
    if not _enabled():
        return
    pipe = redis().pipeline()
    for limit in limits:
        key = f"{PREFIX}{limit.key}:{limit.seconds}"
        pipe.eval("if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then "
                  "return redis.call('DECR', KEYS[1]) end return 0", 1, key)
    pipe.execute()


def sign_in_limits(email: str) -> list[Limit]:
    """Per address 10 a minute and 50 an hour; per email 5 a minute and 20 an hour."""
    address = client_address()
    email = (email or "").strip().lower()
    return [Limit(f"signin-ip:{address}", 10, 60), Limit(f"signin-ip:{address}", 50, 3600),
            Limit(f"signin-email:{email}", 5, 60), Limit(f"signin-email:{email}", 20, 3600)]


def reset() -> None:
    """Forget every count (tests; an operator after an incident)."""
    connection = redis()
    for key in connection.scan_iter(f"{PREFIX}*"):
        connection.delete(key)
