"""Webhook mode: an aiohttp server that takes Telegram's updates (checking the secret token
on every request), answers /healthz, and on shutdown finishes the updates in hand."""

import asyncio
import logging
import signal

from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from sqlalchemy import text

from bot.app import build_app, freeze_what_started, start_background
from bot.commands import register_commands
from bot.config import Settings
from bot.context import App

log = logging.getLogger(__name__)


def create_web_app(app: App) -> web.Application:
    settings = app.settings
    web_app = web.Application()
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    # Handled inside the request, not in the background: a graceful shutdown then waits for
    # the updates in hand, and Telegram retries any it got no 200 for.
    SimpleRequestHandler(
        dispatcher=app.dp, bot=app.bot, handle_in_background=False, secret_token=secret
    ).register(web_app, path=settings.webhook_path)

    async def healthz(_request: web.Request) -> web.Response:
        try:
            async with app.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as error:
            log.warning("health check: database unreachable: %s", type(error).__name__)
            return web.json_response({"database": "unreachable"}, status=503)
        if app.redis is None:
            return web.json_response({"database": "ok"})
        try:
            await app.redis.ping()
        except Exception as error:
            log.warning("health check: Redis unreachable: %s", type(error).__name__)
            return web.json_response({"database": "ok", "redis": "unreachable"}, status=503)
        return web.json_response({"database": "ok", "redis": "ok"})

    web_app.router.add_get("/healthz", healthz)
    if settings.public_url:
        from bot.web import mount

        mount(web_app, app)
    return web_app


async def run_webhook(settings: Settings) -> None:
    app = await build_app(settings)
    runner = web.AppRunner(create_web_app(app), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
    try:
        await site.start()
        await register_commands(app.bot, app.i18n)
        await start_background(app)
        freeze_what_started()
        assert settings.webhook_url and settings.webhook_secret  # checked by Settings
        await app.bot.set_webhook(
            settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=app.dp.resolve_used_update_types(),
        )
        log.info("Kenesh takes webhooks on %s:%s", settings.webhook_host, settings.webhook_port)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
    finally:
        await runner.cleanup()  # stops taking requests, waits for those in hand
        await app.close()
