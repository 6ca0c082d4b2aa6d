"""The public site served the way webhook mode serves it (on the bot's aiohttp server), on a
free port, for the HTTP and the browser tests."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pytest
from aiohttp import web

from bot.app import App, build_app
from bot.webhook import create_web_app
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import make_settings
from tests.web_data import Consultation, fill

SECRET = "kenesh-site-secret_1"
BOT_LINK = "https://t.me/kenesh_test_bot"


@dataclass
class RunningSite:
    url: str
    app: App


@asynccontextmanager
async def running_site(
    database_url: str, telegram: FakeTelegramServer, api_url: str | None = None
) -> AsyncIterator[RunningSite]:
    settings = make_settings(
        database_url,
        api_url or telegram.base_url,
        webhook_url="https://kenesh.example.kg/telegram",
        webhook_secret=SECRET,
        public_url="https://kenesh.example.kg",
    )
    app = await build_app(settings)
    runner = web.AppRunner(create_web_app(app), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield RunningSite(f"http://127.0.0.1:{port}", app)
    finally:
        await runner.cleanup()
        await app.close()


@pytest.fixture
async def site(database_url: str, telegram: FakeTelegramServer) -> AsyncIterator[RunningSite]:
    async with running_site(database_url, telegram) as running:
        yield running


OUTCOME_FILE = ("org-doc-outcome", "Форумдун жыйынтыгы.pdf", b"%PDF-1.4 outcome of the forum")


@pytest.fixture
async def consultation(
    site: RunningSite, database_url: str, telegram: FakeTelegramServer
) -> Consultation:
    # The organizers' document, as Telegram keeps a file someone sent to the bot.
    file_id, name, data = OUTCOME_FILE
    telegram._files[file_id] = (name, data)
    return await fill(database_url, summary_file=(file_id, name))
