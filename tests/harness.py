"""Runs the real bot (real Bot, Dispatcher, database) against the fake Bot API server, and
stops or restarts it the way a process would be."""

import asyncio
from contextlib import suppress
from dataclasses import dataclass, field

from aiogram.utils.i18n import I18n

from bot.app import App, build_app, start_background
from bot.commands import register_commands
from bot.config import Settings

TEST_TOKEN = "123456789:AAHtestTOKENtestTOKENtestTOKENtest12"
ADMIN_ID = 900001
# The tests' Telegram is ten times as fast as the real one (about 30 messages a second): the
# fake Bot API refuses above TELEGRAM_LIMIT and the bot keeps to TELEGRAM_PACE, so a walk
# waits on the bot's work rather than on Telegram's pace. The pace itself is checked at
# Telegram's own figures in tests/test_reply_pace.py, tests/test_delivery_worker.py and
# tests/test_scale_out.py.
TELEGRAM_LIMIT = 300.0
TELEGRAM_PACE = 250.0


def make_settings(database_url: str, api_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "bot_token": TEST_TOKEN,
        "database_url": database_url,
        "telegram_api_url": api_url,
        "admin_ids": str(ADMIN_ID),
        # The tests play people far faster than anyone types: no limit per person
        # (tests/test_throttling.py checks it) and no interval between the replies to one
        # chat (tests/test_reply_pace.py checks it).
        "throttle_updates": 10_000,
        "outbox_chat_interval_seconds": 0.0,
        "telegram_rate_per_second": TELEGRAM_PACE,
        "outbox_rate_per_second": TELEGRAM_PACE,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class RunningBot:
    settings: Settings
    with_background: bool = True
    app: App | None = None
    _polling: asyncio.Task[None] | None = field(default=None, repr=False)

    @property
    def i18n(self) -> I18n:
        assert self.app is not None
        return self.app.i18n

    async def start(self) -> "RunningBot":
        self.app = await build_app(self.settings)
        await register_commands(self.app.bot, self.app.i18n)
        if self.with_background:
            await start_background(self.app)
        # Sequential handling: a confirmed update offset then means "fully processed".
        self._polling = asyncio.create_task(
            self.app.dp.start_polling(
                self.app.bot,
                handle_as_tasks=False,
                polling_timeout=1,
                handle_signals=False,
                close_bot_session=False,
            )
        )
        return self

    async def stop(self) -> None:
        if self.app is None:
            return
        if self._polling is not None:
            with suppress(RuntimeError):  # polling had not started yet
                await self.app.dp.stop_polling()
            await asyncio.wait_for(self._polling, timeout=90)
        await self.app.close()
        self.app = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()
