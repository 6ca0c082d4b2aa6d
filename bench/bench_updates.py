"""Updates per second through the whole stack, against a bare aiogram echo bot.

1,000 distinct people each go through /start, the language button, consent, their name
and the first region button (5 updates each, 5,000 in all), sent over HTTP by the fake Bot
API server of the tests; the bot runs as in production (updates handled as tasks, DB
conversation state, middlewares, SQLite or PostgreSQL). The echo bot answers every text
and button on the same server in the same run. Reported: updates a second for both and
their ratio, the 95th percentile time from an update's arrival to the bot's reply, and the
bot's peak memory (tracemalloc, Python allocations).

    .venv/bin/python -m bench.bench_updates [--people 1000] [--database-url URL]
"""

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.types import CallbackQuery, Message

from bot.app import build_app
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import TEST_TOKEN, make_settings

sys.setrecursionlimit(10_000)


def journey(server: FakeTelegramServer, user_id: int) -> list[tuple[str, str]]:
    """What one person sends: (kind, payload) in order."""
    return [
        ("text", "/start"),
        ("button", "lang:ky"),
        ("button", "consent:1"),
        ("text", "Айгүл Асанова"),
        ("button", "pick:residence:batken"),
    ]


async def drive(
    server: FakeTelegramServer, people: int, first_id: int
) -> tuple[float, list[float]]:
    """Sends every person's next step as soon as the reply to the previous one arrived;
    returns (seconds, latencies)."""
    latencies: list[float] = []
    start = time.perf_counter()

    async def one(user_id: int) -> None:
        for kind, payload in journey(server, user_id):
            sent_at = time.perf_counter()
            before = server.reply_count(user_id)
            if kind == "text":
                server.push_text(user_id, payload, language_code="ky")
            else:
                server.push_callback(user_id, payload, language_code="ky")
            await server.wait_reply_count(user_id, before + 1, timeout=60)
            latencies.append(time.perf_counter() - sent_at)

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
        return await drive(server, people, first_id=5_000_000)
    finally:
        await dp.stop_polling()
        await polling
        await bot.session.close()


async def run_kenesh(
    server: FakeTelegramServer, people: int, database_url: str
) -> tuple[float, list[float], int]:
    app = await build_app(make_settings(database_url, server.base_url))
    tracemalloc.start()
    polling = asyncio.create_task(
        app.dp.start_polling(
            app.bot, handle_signals=False, polling_timeout=1, close_bot_session=False
        )
    )
    try:
        seconds, latencies = await drive(server, people, first_id=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
        return seconds, latencies, peak
    finally:
        tracemalloc.stop()
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
    updates = args.people * len(journey(None, 0))  # type: ignore[arg-type]

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
    print(f"kenesh peak Python memory: {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    asyncio.run(main())
