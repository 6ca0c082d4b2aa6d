"""The running bot's parts, which the workers, the scheduler's sweeps and the site share.

`App` lives here rather than in bot/app.py (which builds it) so that bot/delivery/ and
bot/scheduler.py can name it without importing the module that starts them."""

import asyncio
import logging
import os
import socket
import uuid
from dataclasses import dataclass, field

from aiogram import Bot, Dispatcher
from aiogram.utils.i18n import I18n
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from db import leases

log = logging.getLogger(__name__)

# How long the workers get to finish the message or sweep in hand on shutdown.
STOP_GRACE_SECONDS = 10.0


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    i18n: I18n
    bot: Bot
    dp: Dispatcher
    redis: Redis | None = None
    # Names this process when it holds a lease (db/leases.py).
    process_id: str = field(
        default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    )
    # This bot's keys in a Redis that other bots may share (the bot id is public).
    redis_prefix: str = "kenesh"
    background: list[asyncio.Task[None]] = field(default_factory=list)
    # Set on shutdown: the workers finish what they hold and return. They are not cancelled,
    # because a task cancelled inside a transaction can leave SQLite locked for a while.
    stopping: asyncio.Event = field(default_factory=asyncio.Event)

    async def close(self) -> None:
        self.stopping.set()
        if self.background:
            _, late = await asyncio.wait(self.background, timeout=STOP_GRACE_SECONDS)
            for task in late:
                log.warning("%s did not stop in time; cancelling it", task.get_name())
                task.cancel()
            await asyncio.gather(*self.background, return_exceptions=True)
        await self.bot.session.close()
        await self._give_back_leases()
        await self.engine.dispose()
        if self.redis is not None:
            await self.redis.aclose()

    async def _give_back_leases(self) -> None:
        # Only saves the other processes a wait: the leases expire on their own.
        try:
            async with self.session_factory() as session:
                await leases.give_back_all(session, self.process_id)
                await session.commit()
        except Exception:
            log.warning("could not give back the leases; they expire on their own", exc_info=True)
