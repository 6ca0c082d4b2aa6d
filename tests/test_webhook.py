"""Webhook mode: Telegram's secret token is checked on every request; /healthz tells
whether the database answers."""

import itertools
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import pytest
from aiohttp import web

from bot.app import build_app
from bot.config import Settings
from bot.webhook import create_web_app
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import make_settings

SECRET = "kenesh-webhook-secret_1"
_update_ids = itertools.count(1)


@pytest.fixture
async def webhook(database_url: str, telegram: FakeTelegramServer) -> AsyncIterator[str]:
    settings = make_settings(
        database_url,
        telegram.base_url,
        webhook_url="https://kenesh.example.kg/telegram",
        webhook_secret=SECRET,
    )
    async with serving(settings) as url:
        yield url


@asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[str]:
    """The bot's web app on a free port of 127.0.0.1; yields its base URL."""
    app = await build_app(settings)
    runner = web.AppRunner(create_web_app(app))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()
        await app.close()


def start_update(user_id: int) -> dict:  # type: ignore[type-arg]
    user = {"id": user_id, "is_bot": False, "first_name": "Айгүл", "language_code": "ky"}
    return {
        "update_id": next(_update_ids),
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Айгүл"},
            "from": user,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def test_requests_without_the_secret_are_refused(
    webhook: str, telegram: FakeTelegramServer
) -> None:
    telegram.add_user(4001)
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guess"}):
            async with http.post(
                f"{webhook}/telegram", json=start_update(4001), headers=headers
            ) as response:
                assert response.status == 401
        assert telegram.messages_to(4001) == []

        async with http.post(
            f"{webhook}/telegram",
            json=start_update(4001),
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        ) as response:
            assert response.status == 200
    assert "«Кеңешке» кош келиңиз" in telegram.messages_to(4001)[-1].visible


async def test_healthz_reports_the_database(webhook: str) -> None:
    async with aiohttp.ClientSession() as http, http.get(f"{webhook}/healthz") as response:
        assert response.status == 200
        assert await response.json() == {"database": "ok"}


def test_a_webhook_without_a_secret_is_refused_at_start(database_url: str) -> None:
    with pytest.raises(ValueError, match="WEBHOOK_SECRET must be set"):
        make_settings(database_url, "http://127.0.0.1:1", webhook_url="https://x.kg/t")


async def healthz_with_redis(database_url: str, api_url: str, redis_url: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    settings = make_settings(
        database_url,
        api_url,
        webhook_url="https://kenesh.example.kg/telegram",
        webhook_secret=SECRET,
        redis_url=redis_url,
    )
    async with (
        serving(settings) as url,
        aiohttp.ClientSession() as http,
        http.get(f"{url}/healthz") as response,
    ):
        return response.status, await response.json()


async def test_healthz_reports_a_redis_that_does_not_answer(
    database_url: str, telegram: FakeTelegramServer
) -> None:
    # Nothing listens on port 1: the process cannot share state, so it is not healthy.
    status, body = await healthz_with_redis(
        database_url, telegram.base_url, "redis://127.0.0.1:1/0"
    )
    assert (status, body) == (503, {"database": "ok", "redis": "unreachable"})


async def test_healthz_reports_redis(
    database_url: str, redis_url: str, telegram: FakeTelegramServer
) -> None:
    status, body = await healthz_with_redis(database_url, telegram.base_url, redis_url)
    assert (status, body) == (200, {"database": "ok", "redis": "ok"})
