"""Flood control: a person's messages and button presses beyond a limit per window are
ignored, and they are told once per window. Counted in Redis when several processes share
the work, in memory otherwise.

A person's window opens with their first hit, not on the clock's minute: a fixed window
would let a burst that straddles its edge through twice and tell the person twice."""

import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import gettext as _
from redis.asyncio import Redis


class HitCounter(Protocol):
    async def hit(self, key: str, window_seconds: float) -> int:
        """Counts one hit on `key` and returns the hits in the current window."""


class MemoryHitCounter:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._windows: dict[str, tuple[float, int]] = {}  # key: (window opened at, hits)

    async def hit(self, key: str, window_seconds: float) -> int:
        now = self._clock()
        if len(self._windows) > 100_000:  # forget the people who went quiet
            self._windows = {k: v for k, v in self._windows.items() if now - v[0] < window_seconds}
        opened, count = self._windows.get(key, (now, 0))
        if now - opened >= window_seconds:
            opened, count = now, 0
        self._windows[key] = (opened, count + 1)
        return count + 1


class RedisHitCounter:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix

    async def hit(self, key: str, window_seconds: float) -> int:
        redis_key = f"{self.prefix}:throttle:{key}"
        async with self.redis.pipeline(transaction=True) as pipe:
            # The first hit opens the window (SET NX with its expiry); INCR keeps the expiry.
            pipe.set(redis_key, 0, px=max(1, int(window_seconds * 1000)), nx=True)
            pipe.incr(redis_key)
            _opened, count = await pipe.execute()
        return int(count)


class ThrottlingMiddleware(BaseMiddleware):
    def __init__(self, counter: HitCounter, limit: int, window_seconds: float) -> None:
        self.counter = counter
        self.limit = limit
        self.window_seconds = window_seconds

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        person = data.get("event_from_user")
        if person is None:
            return await handler(event, data)
        hits = await self.counter.hit(str(person.id), self.window_seconds)
        if hits <= self.limit:
            return await handler(event, data)
        if hits == self.limit + 1:
            warning = _("Too many messages at once. Wait a few seconds, then go on.")
            if isinstance(event, Message):
                await event.answer(warning)
            elif isinstance(event, CallbackQuery) and "callback_answer" in data:
                data["callback_answer"].text = warning
        return None
