"""How fast the outbox may send: an overall rate, one message per interval to one chat, and
half the rate for a while after a 429 (Telegram's limits are per bot, not per process).

One process keeps the pace in memory. With REDIS_URL every process takes its turns from
Redis, so three processes together still send at the configured rate, not three times it."""

import asyncio
import time
from typing import Protocol

from redis.asyncio import Redis

SLOWDOWN_SECONDS = 30.0


class SendRate(Protocol):
    async def wait_turn(self) -> None:
        """Returns when the next message may go out under the overall rate."""

    async def claim_chat(self, chat_id: int) -> float:
        """0 when `chat_id` may be written to now (it is then taken for the chat interval);
        otherwise the seconds until it may."""

    async def back_off(self, retry_after: float) -> None:
        """Telegram answered 429: nothing goes out for `retry_after`, then at half rate."""


class LocalSendRate:
    def __init__(self, rate_per_second: float, chat_interval_seconds: float) -> None:
        self.rate = rate_per_second
        self.chat_interval = chat_interval_seconds
        self._next_slot = 0.0
        self._slow_until = 0.0
        self._chat_free_at: dict[int, float] = {}

    @property
    def current_rate(self) -> float:
        return self.rate / 2 if time.monotonic() < self._slow_until else self.rate

    async def wait_turn(self) -> None:
        now = time.monotonic()
        slot = max(now, self._next_slot)
        self._next_slot = slot + 1.0 / self.current_rate
        if slot > now:
            await asyncio.sleep(slot - now)

    async def claim_chat(self, chat_id: int) -> float:
        now = time.monotonic()
        free_at = self._chat_free_at.get(chat_id, 0.0)
        if free_at > now:
            return free_at - now
        self._chat_free_at[chat_id] = now + self.chat_interval
        return 0.0

    async def back_off(self, retry_after: float) -> None:
        now = time.monotonic()
        self._next_slot = max(self._next_slot, now + retry_after)
        self._slow_until = now + retry_after + SLOWDOWN_SECONDS


# Reserves the next free slot of the shared schedule (Redis' own clock, microseconds) and
# returns how long the caller waits for it; the interval doubles while the "slow" key lives.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 1 then interval = interval * 2 end
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
redis.call('SET', KEYS[1], string.format('%.0f', slot + interval), 'PX', 600000)
return string.format('%.0f', slot - now)
"""

_BACK_OFF = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local resume = now + tonumber(ARGV[1])
if resume > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], string.format('%.0f', resume), 'PX', 600000)
end
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
return 1
"""


class RedisSendRate:
    def __init__(
        self, redis: Redis, prefix: str, rate_per_second: float, chat_interval_seconds: float
    ) -> None:
        self.redis = redis
        self.prefix = prefix
        self.interval_us = round(1_000_000 / rate_per_second)
        self.chat_interval_ms = round(chat_interval_seconds * 1000)
        self._reserve = redis.register_script(_RESERVE)
        self._back_off = redis.register_script(_BACK_OFF)
        self._keys = [f"{prefix}:send:next", f"{prefix}:send:slow"]

    async def wait_turn(self) -> None:
        wait_us = int(await self._reserve(keys=self._keys, args=[self.interval_us]))
        if wait_us > 0:
            await asyncio.sleep(wait_us / 1_000_000)

    async def claim_chat(self, chat_id: int) -> float:
        if self.chat_interval_ms <= 0:
            return 0.0
        key = f"{self.prefix}:send:chat:{chat_id}"
        if await self.redis.set(key, 1, px=self.chat_interval_ms, nx=True):
            return 0.0
        return max(int(await self.redis.pttl(key)), 1) / 1000

    async def back_off(self, retry_after: float) -> None:
        slow_ms = round((retry_after + SLOWDOWN_SECONDS) * 1000)
        await self._back_off(keys=self._keys, args=[round(retry_after * 1_000_000), slow_ms])
