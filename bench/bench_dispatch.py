"""CPU time per update inside the bot, next to a bare aiogram echo bot, in one process.

`bench_updates` measures the whole stack over HTTP, and its figures move with the host (the
same code made 240 to 450 updates/s within an hour). This one feeds updates straight into
each dispatcher (Kenesh's middlewares, database, handlers and request middlewares; the echo
bot's two handlers), with a session that answers every call at once as Telegram would, and
reports the process's CPU time per update. The journeys are `bench_updates`' own: /start
from 1,000 returning people, or new people registering, each button pressed on the message
that carries it. The two bots take turns in batches, so a host that slows down slows both:
compare the two figures of one run.

    .venv/bin/python -m bench.bench_dispatch [--journey start] [--rounds 8] [--batch 2000]
        [--database-url URL]
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
from typing import Any, ClassVar

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.enums import ParseMode
from aiogram.methods import EditMessageReplyMarkup, EditMessageText, SendMessage, TelegramMethod
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bench.bench_updates import JOURNEYS, _fast_settings
from tests.harness import TEST_TOKEN

PEOPLE = 1000
CONCURRENT = 16  # as many updates at once as polling handles (bot.app.POLLING_TASKS)
ANY = "*"
# The echo bot's one button, pressed for whatever the journey presses next; built once, as
# Kenesh's own keyboards are (bot.keyboards.common.built_once).
ANY_BUTTON = InlineKeyboardMarkup(
    inline_keyboard=[[InlineKeyboardButton(text="…", callback_data=ANY)]]
)


class AnsweringSession(AiohttpSession):
    """Answers each call as Telegram would, without the network: the answer is read and
    checked by aiogram as a real one (`check_response`)."""

    message_ids = itertools.count(1)
    # chat -> the last message sent or edited there with buttons: the one a person presses
    with_buttons: ClassVar[dict[int | str, dict[str, Any]]] = {}

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        result: Any = True
        if isinstance(method, SendMessage | EditMessageText):
            message_id = getattr(method, "message_id", None) or next(self.message_ids)
            result = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": method.chat_id, "type": "private"},
                "text": method.text,
            }
            if isinstance(method.reply_markup, InlineKeyboardMarkup):
                result["reply_markup"] = method.reply_markup.model_dump(exclude_none=True)
                assert method.chat_id is not None
                self.with_buttons[method.chat_id] = result
            elif isinstance(method, EditMessageText):
                self._buttons_gone(method.chat_id, message_id)
        elif isinstance(method, EditMessageReplyMarkup) and method.reply_markup is None:
            self._buttons_gone(method.chat_id, method.message_id)
        body = json.dumps({"ok": True, "result": result})
        return self.check_response(bot, method, 200, body).result

    def _buttons_gone(self, chat_id: int | str | None, message_id: int | None) -> None:
        shown = self.with_buttons.get(chat_id or 0)
        if shown is not None and shown["message_id"] == message_id:
            del self.with_buttons[chat_id or 0]


def _person(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Айгүл", "language_code": "ky"}


def typed(bot: Bot, user_id: int, update_id: int, text: str) -> Update:
    command = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    return Update.model_validate(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": int(time.time()),
                "chat": {"id": user_id, "type": "private", "first_name": "Айгүл"},
                "from": _person(user_id),
                "text": text,
                **({"entities": command} if text.startswith("/") else {}),
            },
        },
        context={"bot": bot},
    )


def pressed(bot: Bot, user_id: int, update_id: int, data: str) -> Update:
    """A press on `data`, on the last message that came to this person with buttons (the
    echo bot's one button stands for any)."""
    message = AnsweringSession.with_buttons[user_id]
    rows = message["reply_markup"]["inline_keyboard"]
    buttons = [button["callback_data"] for row in rows for button in row]
    assert data in buttons or buttons == [ANY], (data, buttons)
    return Update.model_validate(
        {
            "update_id": update_id,
            "callback_query": {
                "id": str(update_id),
                "from": _person(user_id),
                "chat_instance": str(user_id),
                "data": data,
                "message": message,
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
        await message.answer(message.text or "", reply_markup=ANY_BUTTON)

    @router.callback_query()
    async def repeat_press(callback: CallbackQuery) -> None:
        await callback.answer()
        if callback.message:
            await callback.message.answer(callback.data or "", reply_markup=ANY_BUTTON)

    bot = Bot(
        TEST_TOKEN,
        session=AnsweringSession(),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )
    dp = Dispatcher()
    dp.include_router(router)
    return bot, dp


async def batch(
    bot: Bot,
    dp: Dispatcher,
    size: int,
    journey: list[tuple[str, str, int]],
    people: Iterator[int],
    update_ids: Iterator[int],
) -> float:
    """CPU milliseconds per update for `size` updates, CONCURRENT people at a time, each
    through the journey."""
    gate = asyncio.Semaphore(CONCURRENT)

    async def one(user_id: int) -> None:
        async with gate:
            for kind, payload, _replies in journey:
                make = typed if kind == "text" else pressed
                await dp.feed_update(bot, make(bot, user_id, next(update_ids), payload))

    started = time.process_time()
    await asyncio.gather(*(one(next(people)) for _ in range(size // len(journey))))
    return 1000 * (time.process_time() - started) / size


def people_of(bot_name: str, journey: str) -> Iterator[int]:
    """/start: the same 1,000 people again and again; registration: someone new each time."""
    first = 1_000_000 if bot_name == "kenesh" else 5_000_000
    if journey == "start":
        return itertools.cycle(range(first, first + PEOPLE))
    return itertools.count(first)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journey", choices=sorted(JOURNEYS), default="start")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="kenesh-bench-"))
    database_url = args.database_url or f"sqlite+aiosqlite:///{workdir / 'bench.sqlite3'}"
    journey = JOURNEYS[args.journey]
    bots = {"kenesh": await kenesh(database_url), "echo": echo()}
    people = {name: people_of(name, args.journey) for name in bots}
    update_ids = itertools.count(1)
    for name, (bot, dp) in bots.items():  # a round first that is not timed: the warm-up
        await batch(bot, dp, PEOPLE * len(journey), journey, people[name], update_ids)
    times: dict[str, list[float]] = {name: [] for name in bots}
    for round_ in range(args.rounds):
        order = list(bots) if round_ % 2 == 0 else list(reversed(bots))
        for name in order:
            bot, dp = bots[name]
            times[name].append(await batch(bot, dp, args.batch, journey, people[name], update_ids))
    print(
        f"database: {database_url.split('://')[0]}; journey: {args.journey}, "
        f"{args.rounds} x {args.batch} updates"
    )
    for name, values in times.items():
        rounds = " ".join(f"{v:.3f}" for v in values)
        print(f"{name:7} CPU ms per update: median {statistics.median(values):.3f} ({rounds})")
    ratio = statistics.median(times["echo"]) / statistics.median(times["kenesh"])
    print(f"echo's CPU per update / Kenesh's: {ratio:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
