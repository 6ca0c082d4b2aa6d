"""Updates per second through the whole stack, against a bare aiogram echo bot.

1,000 distinct people each go through /start, the language button, consent, their name
and the first region button (5 updates each, 5,000 in all), sent over HTTP by the fake Bot
API server of the tests; the bot runs as in production (updates handled as tasks, DB
conversation state, middlewares, SQLite or PostgreSQL). The echo bot answers every text
and button on the same server in the same run. Reported: updates a second for both and
their ratio, the 95th percentile time from an update's arrival to the bot's reply, and the
peak resident memory of the process (bot, fake server and driver: an upper bound).

    .venv/bin/python -m bench.bench_updates [--people 1000] [--database-url URL]
"""

import argparse
import asyncio
import resource
import statistics
import tempfile
import time
from pathlib import Path

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.types import CallbackQuery, Message

from bot.app import build_app
from tests.fake_bot_api import FakeTelegramServer, Person
from tests.harness import TEST_TOKEN, make_settings

# What each person sends, in order: (kind, payload, messages Kenesh sends or edits in reply).
JOURNEY = [
    ("text", "/start", 1),  # greeting with the language buttons
    ("button", "lang:ky", 2),  # buttons removed, consent text
    ("button", "consent:1", 3),  # buttons removed, thanks, first question
    ("text", "Айгүл Асанова", 1),  # the region question
    ("button", "pick:residence:batken", 2),  # buttons removed, the category question
]


async def drive(
    server: FakeTelegramServer, people: int, first_id: int, *, echo: bool
) -> tuple[float, list[float]]:
    """All people at once, each sending their next step once the bot has answered the
    previous one in full; returns (seconds, update-to-first-reply latencies)."""
    latencies: list[float] = []
    start = time.perf_counter()

    async def one(user_id: int) -> None:
        someone = Person(server, user_id, first_name="Айгүл", language_code="ky")
        server.add_user(user_id)
        for kind, payload, replies in JOURNEY:
            before = len(server.messages_to(user_id))
            if kind == "text":
                update = {"message": someone._message(text=payload)}
                if payload.startswith("/"):
                    update["message"]["entities"] = [
                        {"type": "bot_command", "offset": 0, "length": len(payload)}
                    ]
            else:
                shown = server.current_messages(user_id)
                message = shown[0] if shown else someone._message(text="…")
                update = {"callback_query": someone._callback_payload(payload, message)}
            sent_at = time.perf_counter()
            server.push_update(update)
            await server.wait_count(user_id, before + 1, timeout=120)
            latencies.append(time.perf_counter() - sent_at)
            await server.wait_count(user_id, before + (1 if echo else replies), timeout=120)

    await asyncio.gather(*(one(first_id + i) for i in range(people)))
    return time.perf_counter() - start, latencies


def echo_router() -> Router:
    router = Router()

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    @router.callback_query()
    async def pressed(callback: CallbackQuery) -> None:
        await callback.answer()
        if callback.message:
            await callback.message.answer(callback.data or "")

    return router


async def run_echo(server: FakeTelegramServer, people: int) -> tuple[float, list[float]]:
    bot = Bot(
        TEST_TOKEN,
        session=AiohttpSession(api=TelegramAPIServer.from_base(server.base_url)),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )
    dp = Dispatcher()
    dp.include_router(echo_router())
    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
    try:
        return await drive(server, people, first_id=5_000_000, echo=True)
    finally:
        await dp.stop_polling()
        await polling
        await bot.session.close()


async def run_kenesh(
    server: FakeTelegramServer, people: int, database_url: str
) -> tuple[float, list[float], int]:
    app = await build_app(make_settings(database_url, server.base_url))
    polling = asyncio.create_task(
        app.dp.start_polling(
            app.bot, handle_signals=False, polling_timeout=1, close_bot_session=False
        )
    )
    try:
        seconds, latencies = await drive(server, people, first_id=1_000_000, echo=False)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return seconds, latencies, peak
    finally:
        await app.dp.stop_polling()
        await polling
        await app.close()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="kenesh-bench-"))
    database_url = args.database_url or f"sqlite+aiosqlite:///{workdir / 'bench.sqlite3'}"
    updates = args.people * len(JOURNEY)

    async with FakeTelegramServer() as server:
        echo_seconds, echo_latencies = await run_echo(server, args.people)
    async with FakeTelegramServer() as server:
        seconds, latencies, peak = await run_kenesh(server, args.people, database_url)

    echo_rate, rate = updates / echo_seconds, updates / seconds
    print(f"database: {database_url.split('://')[0]}; people: {args.people}; updates: {updates}")
    for name, value, values in (
        ("echo bot", echo_rate, echo_latencies),
        ("kenesh", rate, latencies),
    ):
        print(f"{name:9} {value:8.1f} updates/s, p95 update->reply {p95(values) * 1000:7.1f} ms")
    print(f"ratio kenesh/echo: {rate / echo_rate:.2f}")
    # Peak resident memory of this whole process (bot, fake server and driver together):
    # an upper bound for the bot; tracemalloc would slow the bot down several times.
    print(f"peak resident memory of the process: {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    asyncio.run(main())
