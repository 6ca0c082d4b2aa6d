"""CPU time per update inside the bot, next to a bare aiogram echo bot, in one process.

`bench_updates` measures the whole stack over HTTP, and its figures move with the host (the
same code made 240 to 450 updates/s within an hour). This one feeds /start updates from 1,000
people straight into each dispatcher (Kenesh's middlewares, database, handlers and request
middlewares; the echo bot's one handler), with a session that answers every call at once as
Telegram would, and reports the process's CPU time per update. The two bots take turns in
batches, so a host that slows down slows both: compare the two figures of one run.

    .venv/bin/python -m bench.bench_dispatch [--rounds 8] [--batch 2000] [--database-url URL]
"""

import argparse
import asyncio
import itertools
import json
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.enums import ParseMode
from aiogram.methods import EditMessageText, SendMessage, TelegramMethod
from aiogram.types import Message, Update

from bench.bench_updates import _fast_settings
from tests.harness import TEST_TOKEN

PEOPLE = 1000
CONCURRENT = 16  # as many updates at once as polling handles (bot.app.POLLING_TASKS)


class AnsweringSession(AiohttpSession):
    """Answers each call as Telegram would, without the network: the answer is read and
    checked by aiogram as a real one (`check_response`)."""

    message_ids = itertools.count(1)

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        result: Any = True
        if isinstance(method, SendMessage | EditMessageText):
            result = {
                "message_id": next(self.message_ids),
                "date": int(time.time()),
                "chat": {"id": method.chat_id, "type": "private"},
                "text": method.text,
            }
            if method.reply_markup is not None:
                result["reply_markup"] = method.reply_markup.model_dump(exclude_none=True)
        body = json.dumps({"ok": True, "result": result})
        return self.check_response(bot, method, 200, body).result


def start(bot: Bot, user_id: int, update_id: int) -> Update:
    person = {"id": user_id, "is_bot": False, "first_name": "Айгүл", "language_code": "ky"}
    return Update.model_validate(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": int(time.time()),
                "chat": {"id": user_id, "type": "private", "first_name": "Айгүл"},
                "from": person,
                "text": "/start",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        },
        context={"bot": bot},
    )


async def kenesh(database_url: str) -> tuple[Bot, Dispatcher]:
    from bot.app import build_app, freeze_what_started

    app = await build_app(_fast_settings(database_url, "http://127.0.0.1:9"))
    session = AnsweringSession()
    for middleware in app.bot.session.middleware._middlewares:
        session.middleware(middleware)
    app.bot.session = session
    freeze_what_started()
    return app.bot, app.dp


def echo() -> tuple[Bot, Dispatcher]:
    router = Router()

    @router.message(F.text)
    async def repeat(message: Message) -> None:
        await message.answer(message.text or "")

    bot = Bot(
        TEST_TOKEN,
        session=AnsweringSession(),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )
    dp = Dispatcher()
    dp.include_router(router)
    return bot, dp


async def batch(bot: Bot, dp: Dispatcher, size: int, update_ids: Iterator[int]) -> float:
    """CPU milliseconds per update for `size` /start updates, CONCURRENT at a time."""
    gate = asyncio.Semaphore(CONCURRENT)

    async def one(n: int) -> None:
        async with gate:
            await dp.feed_update(bot, start(bot, 10_000 + n % PEOPLE, next(update_ids)))

    started = time.process_time()
    await asyncio.gather(*(one(n) for n in range(size)))
    return 1000 * (time.process_time() - started) / size


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="kenesh-bench-"))
    database_url = args.database_url or f"sqlite+aiosqlite:///{workdir / 'bench.sqlite3'}"
    bots = {"kenesh": await kenesh(database_url), "echo": echo()}
    update_ids = itertools.count(1)
    for bot, dp in bots.values():  # everyone met once: the rounds time returning people
        await batch(bot, dp, PEOPLE, update_ids)
    times: dict[str, list[float]] = {name: [] for name in bots}
    for round_ in range(args.rounds):
        order = list(bots) if round_ % 2 == 0 else list(reversed(bots))
        for name in order:
            times[name].append(await batch(*bots[name], args.batch, update_ids))
    print(f"database: {database_url.split('://')[0]}; /start, {args.rounds} x {args.batch}")
    for name, values in times.items():
        rounds = " ".join(f"{v:.3f}" for v in values)
        print(f"{name:7} CPU ms per update: median {statistics.median(values):.3f} ({rounds})")
    ratio = statistics.median(times["echo"]) / statistics.median(times["kenesh"])
    print(f"echo's CPU per update / Kenesh's: {ratio:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
