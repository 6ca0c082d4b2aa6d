"""Fixtures for end-to-end tests: the fake Bot API server, the real bot against it, people."""

import asyncio
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from tests.fake_bot_api import FakeTelegramServer, Person
from tests.harness import TELEGRAM_LIMIT, RunningBot, make_settings
from tests.redis_fixtures import TEST_REDIS_URL, empty_redis


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegramServer]:
    server = FakeTelegramServer(rate_per_second=TELEGRAM_LIMIT)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def running_bot(database_url: str, telegram: FakeTelegramServer) -> AsyncIterator[RunningBot]:
    if TEST_REDIS_URL:
        await empty_redis(TEST_REDIS_URL)
    bot = RunningBot(make_settings(database_url, telegram.base_url, redis_url=TEST_REDIS_URL))
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()


def person(
    telegram: FakeTelegramServer, user_id: int, language_code: str = "ky", name: str = "Айгүл"
) -> Person:
    return Person(telegram, user_id=user_id, first_name=name, language_code=language_code)


def inline_labels(message: object) -> list[str]:
    """The labels of a sent message's inline buttons, row by row flattened."""
    markup = getattr(message, "reply_markup", None) or {}
    return [button["text"] for row in markup.get("inline_keyboard", []) for button in row]


def keyboard_labels(message: object) -> list[str]:
    """The labels of a reply keyboard (the menu under the input field)."""
    markup = getattr(message, "reply_markup", None) or {}
    return [button["text"] for row in markup.get("keyboard", []) for button in row]


def texts(messages: list) -> str:  # type: ignore[type-arg]
    """Everything a person read in a reply, as one string, for `in` checks."""
    return "\n".join(m.visible for m in messages)


def menu_of(someone: Person) -> list[str]:
    """The labels of the reply keyboard the person has under the input field now."""
    return [
        b["text"] if isinstance(b, dict) else b for row in someone.reply_keyboard() for b in row
    ]


async def wait_until(
    condition: Callable[[], bool] | Callable[[], Awaitable[bool]], timeout: float = 30
) -> None:
    """Looks again and again until `condition` holds (a database query, what the fake Bot
    API has seen); fails after `timeout` seconds."""
    async with asyncio.timeout(timeout):
        while True:
            held = condition()
            if inspect.isawaitable(held):
                held = await held
            if held:
                return
            await asyncio.sleep(0.05)
