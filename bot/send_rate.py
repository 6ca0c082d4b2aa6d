"""One pace for every call to Telegram: a budget per bot token, shared by every process.

Telegram counts replies and announcements against one limit (about 30 messages a second per
bot, about one a second in one chat). Every Bot API call passes `PacedRequests`, a request
middleware of the bot's session, which takes a turn from `Pace` before the call goes out:

- replies (anything not sent by the outbox) queue for the next free slot of the overall
  schedule: they are late under a burst, never refused;
- the outbox takes a slot only when no reply is waiting for one (the schedule is not ahead
  of the clock), so it uses what replies leave and never pushes the total over the rate;
- a 429 on any call moves the whole schedule past `retry_after` (every process waits
  together), lowers the rate a little for a while, and the same call is tried again (a few times).

The schedule is a token bucket kept as its "theoretical arrival time" (GCRA): each call
reserves `interval` after the previous one, so a call that was slow to go out does not push
the others back, and nothing is ever spent twice. One process keeps it in memory; with
REDIS_URL every process reserves from Redis, on Redis' clock, in one Lua script."""

import asyncio
import logging
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Protocol

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from redis.asyncio import Redis

log = logging.getLogger(__name__)

# After a 429 (and its pause) the overall rate is lowered by this factor for a while:
# Telegram's limits are not published exactly, and a 429 means our idea of them was a
# little too generous. A little: halving it would make a burst wait twice as long.
SLOWDOWN_SECONDS = 30.0
SLOWDOWN_FACTOR = 1.1
# A reply to one chat may come in a short burst of this many messages before the chat's
# interval applies (a handler often answers with two messages); the outbox gets no burst.
REPLY_CHAT_BURST = 3
# Groups take about 20 messages a minute.
GROUP_CHAT_INTERVAL_SECONDS = 3.0
# A call refused with 429 is tried again this many times before the error is raised.
RETRIES_AFTER_429 = 4
# A reply that got no answer at all (the network failed) is tried again this many times, a
# second later and then two: a person waiting for it gets it late rather than never. The
# answer may have been lost after Telegram took the message; a second copy is the lesser
# harm. The outbox keeps its own retries and is not tried again here.
RETRIES_AFTER_NETWORK_ERROR = 2
NETWORK_RETRY_SECONDS = 1.0
# Calls that are not messages and must never wait: long polling and the webhook set-up.
UNPACED = frozenset(
    {"getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo", "getMe", "close", "logOut"}
)
ALL, OUTBOX = "all", "outbox"


@dataclass
class BulkCall:
    """Marks the calls of the outbox (and other bot-initiated messages): they take what
    replies leave. `prepaid` when the caller took its turn already (just before sending)."""

    prepaid: bool = False


BULK: ContextVar[BulkCall | None] = ContextVar("kenesh_bulk_call", default=None)


@contextmanager
def bulk_calls(prepaid: bool = False) -> Iterator[BulkCall]:
    call = BulkCall(prepaid)
    token = BULK.set(call)
    try:
        yield call
    finally:
        BULK.reset(token)


class Schedule(Protocol):
    async def reserve(
        self, key: str, interval: float, tolerance: float, queue: bool, slowable: bool
    ) -> float:
        """Takes the next slot of `key`'s schedule (`interval` apart; up to `tolerance`
        ahead of it, for bursts) and returns the seconds to wait for it. With queue=False a
        slot is taken only when it is free now: 0 if taken, else the seconds until one may
        be (nothing is reserved). `slowable` schedules run a little slower after a 429."""

    async def take(self, keys: list[tuple[str, float, bool]]) -> tuple[int, float]:
        """Takes a slot of each (key, interval, catch_up) schedule at once, only if all are
        free now; the last one runs a little slower after a 429. A schedule that catches up
        counts its next slot from when this one was due (if that was less than an interval
        ago), not from now: a turn taken late is made up. Returns (0, 0) when taken; else
        (n, seconds): the first busy schedule's position (from 1) and the seconds until it
        is free, and nothing is taken."""

    async def pause(self, key: str, seconds: float) -> None:
        """Nothing on `key`'s schedule goes out for `seconds`, then a little slower a while."""

    async def paused(self, key: str) -> float:
        """The seconds left of a pause of `key`'s schedule (0 when none): a slot reserved
        before the pause began is void, since Telegram refuses everything until it ends."""


class LocalSchedule:
    def __init__(self) -> None:
        self._tat: dict[str, float] = {}
        self._paused_until: dict[str, float] = {}
        self._slow_until = 0.0

    @property
    def slowed(self) -> bool:
        return time.monotonic() < self._slow_until

    async def reserve(
        self, key: str, interval: float, tolerance: float, queue: bool, slowable: bool
    ) -> float:
        now = time.monotonic()
        if slowable and now < self._slow_until:
            interval *= SLOWDOWN_FACTOR
        tat = max(self._tat.get(key, 0.0), now)
        at = max(now, tat - tolerance)
        if at > now and not queue:
            return at - now
        self._tat[key] = tat + interval
        if len(self._tat) > 50_000:
            self._forget_idle(now)
        return at - now

    async def take(self, keys: list[tuple[str, float, bool]]) -> tuple[int, float]:
        now = time.monotonic()
        for position, (key, _, _) in enumerate(keys, 1):
            tat = self._tat.get(key, 0.0)
            if tat > now:
                return position, tat - now
        for position, (key, interval, catch_up) in enumerate(keys, 1):
            if position == len(keys) and now < self._slow_until:
                interval *= SLOWDOWN_FACTOR
            due = max(self._tat.get(key, 0.0), now - interval) if catch_up else now
            self._tat[key] = due + interval
        return 0, 0.0

    async def pause(self, key: str, seconds: float) -> None:
        now = time.monotonic()
        self._tat[key] = max(self._tat.get(key, 0.0), now + seconds)
        self._paused_until[key] = max(self._paused_until.get(key, 0.0), now + seconds)
        self._slow_until = now + seconds + SLOWDOWN_SECONDS

    async def paused(self, key: str) -> float:
        return max(self._paused_until.get(key, 0.0) - time.monotonic(), 0.0)

    def _forget_idle(self, now: float) -> None:
        self._tat = {k: v for k, v in self._tat.items() if v > now}


# The clock is Redis' own (microseconds), so processes on different machines agree.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
if #KEYS > 1 and redis.call('EXISTS', KEYS[2]) == 1 then interval = interval * ARGV[4] end
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
local at = math.max(now, tat - tolerance)
if at > now and ARGV[3] == '0' then
  return string.format('%.0f', at - now)
end
local next_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX',
  math.floor((next_tat - now) / 1000) + 1000)
return string.format('%.0f', at - now)
"""

# KEYS: the schedules, then the slow key; ARGV: their intervals (negative: no catching
# up), then the slowdown factor.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local n = #ARGV - 1
local tats = {}
for i = 1, n do
  tats[i] = tonumber(redis.call('GET', KEYS[i]) or '0')
  if tats[i] > now then return {i, string.format('%.0f', tats[i] - now)} end
end
for i = 1, n do
  local interval = math.abs(tonumber(ARGV[i]))
  if i == n and redis.call('EXISTS', KEYS[n + 1]) == 1 then
    interval = interval * tonumber(ARGV[n + 1])
  end
  local due = now
  if tonumber(ARGV[i]) > 0 then due = math.max(tats[i], now - interval) end
  redis.call('SET', KEYS[i], string.format('%.0f', due + interval), 'PX',
    math.floor(interval / 1000) + 1000)
end
return {0, '0'}
"""

_PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local resume = now + tonumber(ARGV[1])
if resume > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], string.format('%.0f', resume), 'PX',
    math.floor(tonumber(ARGV[1]) / 1000) + 1000)
end
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
if resume > tonumber(redis.call('GET', KEYS[3]) or '0') then
  redis.call('SET', KEYS[3], string.format('%.0f', resume), 'PX',
    math.floor(tonumber(ARGV[1]) / 1000) + 1000)
end
return 1
"""

_PAUSED = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
return string.format('%.0f', math.max(tonumber(redis.call('GET', KEYS[1]) or '0') - now, 0))
"""


class RedisSchedule:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.prefix = f"{prefix}:pace"
        self._reserve = redis.register_script(_RESERVE)
        self._pause = redis.register_script(_PAUSE)
        self._paused = redis.register_script(_PAUSED)
        self._take = redis.register_script(_TAKE)
        self._slow_key = f"{self.prefix}:slow"

    async def reserve(
        self, key: str, interval: float, tolerance: float, queue: bool, slowable: bool
    ) -> float:
        keys = [f"{self.prefix}:{key}"] + ([self._slow_key] if slowable else [])
        args = [round(interval * 1e6), round(tolerance * 1e6), int(queue), SLOWDOWN_FACTOR]
        return int(await self._reserve(keys=keys, args=args)) / 1e6

    async def take(self, keys: list[tuple[str, float, bool]]) -> tuple[int, float]:
        names = [f"{self.prefix}:{key}" for key, _, _ in keys] + [self._slow_key]
        intervals = [round(i * 1e6) * (1 if catch_up else -1) for _, i, catch_up in keys]
        args = [*intervals, SLOWDOWN_FACTOR]
        position, wait = await self._take(keys=names, args=args)
        return int(position), int(wait) / 1e6

    async def pause(self, key: str, seconds: float) -> None:
        slow_ms = round((seconds + SLOWDOWN_SECONDS) * 1000)
        keys = [f"{self.prefix}:{key}", self._slow_key, f"{self.prefix}:{key}:paused"]
        await self._pause(keys=keys, args=[round(seconds * 1e6), slow_ms])

    async def paused(self, key: str) -> float:
        return int(await self._paused(keys=[f"{self.prefix}:{key}:paused"])) / 1e6


class Pace:
    """The turns: `reply_turn` for a person waiting, `bulk_turn` for the outbox."""

    def __init__(
        self,
        schedule: Schedule,
        rate_per_second: float,
        outbox_rate_per_second: float,
        chat_interval_seconds: float,
    ) -> None:
        self.schedule = schedule
        self.interval = 1.0 / rate_per_second
        self.outbox_interval = 1.0 / outbox_rate_per_second
        self.chat_interval = chat_interval_seconds
        # When this process last sent calls: after a stall (a loaded machine, a long
        # garbage collection) the calls whose slots passed meanwhile would all go out at
        # once; this keeps them to the rate in any one second all the same.
        self._sent_at: deque[float] = deque()
        self._per_second = max(int(rate_per_second), 1)

    async def smooth(self) -> None:
        """Waits until this process has sent fewer than the rate in the last second."""
        while True:
            now = time.monotonic()
            while self._sent_at and now - self._sent_at[0] >= 1.0:
                self._sent_at.popleft()
            if len(self._sent_at) < self._per_second:
                self._sent_at.append(now)
                return
            await asyncio.sleep(1.0 - (now - self._sent_at[0]))

    def _chat_interval(self, chat_id: int) -> float:
        if chat_id < 0:
            return max(self.chat_interval, GROUP_CHAT_INTERVAL_SECONDS)
        return self.chat_interval

    async def reply_turn(self, chat_id: int | None = None) -> None:
        if chat_id is not None and self.chat_interval > 0:
            interval = self._chat_interval(chat_id)
            tolerance = interval * (REPLY_CHAT_BURST - 1)
            key = f"chat:{chat_id}"
            await _sleep(await self.schedule.reserve(key, interval, tolerance, True, False))
        while True:
            await _sleep(await self.schedule.reserve(ALL, self.interval, 0.0, True, True))
            # A 429 while this call waited: its slot is void; queue again after the pause.
            left = await self.schedule.paused(ALL)
            if left <= 0:
                return
            await asyncio.sleep(left)

    async def bulk_turn(self, chat_id: int | None = None) -> float:
        """A turn of the outbox: a slot of the outbox's own pace and of the overall one that
        no reply has taken, and (with `chat_id`) the chat's slot, all at once, in one round
        trip. Returns 0 once taken; or, without waiting, the seconds until the chat is free
        (nothing taken: the outbox sends to others meanwhile)."""
        keys = [(OUTBOX, self.outbox_interval, True), (ALL, self.interval, True)]
        if chat_id is not None and self.chat_interval > 0:
            keys.insert(0, (f"chat:{chat_id}", self._chat_interval(chat_id), False))
        while True:
            busy, wait = await self.schedule.take(keys)
            if busy == 0:
                return 0.0
            if len(keys) == 3 and busy == 1:
                return wait
            await asyncio.sleep(min(wait, 1.0))

    async def back_off(self, retry_after: float) -> None:
        """Telegram answered 429: nothing goes out for `retry_after`, then a little slower."""
        await self.schedule.pause(ALL, retry_after)


async def _sleep(seconds: float) -> None:
    if seconds > 0:
        await asyncio.sleep(seconds)


def create_pace(
    redis: Redis | None,
    prefix: str,
    rate_per_second: float,
    outbox_rate_per_second: float,
    chat_interval_seconds: float,
) -> Pace:
    schedule: Schedule = LocalSchedule() if redis is None else RedisSchedule(redis, prefix)
    return Pace(schedule, rate_per_second, outbox_rate_per_second, chat_interval_seconds)


class PacedRequests(BaseRequestMiddleware):
    """Every Bot API call takes its turn from `pace` first; a 429 is waited out (by every
    process) and the same call tried again, so a person is answered late rather than never."""

    def __init__(self, pace: Pace, retries: int = RETRIES_AFTER_429) -> None:
        self.pace = pace
        self.retries = retries

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        name = method.__api_method__
        if name in UNPACED:
            return await make_request(bot, method)
        chat_id = getattr(method, "chat_id", None)
        sends = name.startswith(("send", "copy", "forward")) and isinstance(chat_id, int)
        bulk = BULK.get()
        attempt = network_failures = 0
        while True:
            if bulk is None:
                await self.pace.reply_turn(chat_id if sends else None)
            elif bulk.prepaid:
                bulk.prepaid = False
            else:
                await self.pace.bulk_turn()
            await self.pace.smooth()
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as error:
                await self.pace.back_off(error.retry_after)
                attempt += 1
                if attempt > self.retries:
                    raise
                log.warning("%s: 429, retry after %s s (try %s)", name, error.retry_after, attempt)
            except TelegramNetworkError as error:
                network_failures += 1
                if bulk is not None or network_failures > RETRIES_AFTER_NETWORK_ERROR:
                    raise
                log.warning("%s: %s; trying again (try %s)", name, error.message, network_failures)
                await _sleep(NETWORK_RETRY_SECONDS * network_failures)


def pace_of(bot: Bot) -> Pace:
    """The pace installed in this bot's session (by bot.app.create_bot)."""
    for middleware in bot.session.middleware:
        if isinstance(middleware, PacedRequests):
            return middleware.pace
    raise LookupError("this bot's session has no PacedRequests middleware")
