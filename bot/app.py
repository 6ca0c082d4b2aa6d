"""Builds the Bot, the Dispatcher and the background workers, and runs them."""

import asyncio
import gc
import logging

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.fsm.storage.redis import DefaultKeyBuilder, RedisStorage
from aiogram.utils.callback_answer import CallbackAnswerMiddleware
from aiogram.utils.i18n import I18n
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.commands import register_commands
from bot.config import Settings

# App is built here and lives in bot/context.py; `from bot.app import App` keeps working.
from bot.context import App as App
from bot.delivery import run_delivery
from bot.filters import filters_on_the_loop, skip_routers_for_other_buttons
from bot.fsm_storage import DatabaseStorage
from bot.i18n import create_i18n
from bot.middlewares.db import CommitBeforeTelegram, DbSessionMiddleware
from bot.middlewares.locale import UserLocaleMiddleware
from bot.middlewares.private_only import PrivateChatsOnly
from bot.middlewares.response_models import KeepResponseModels
from bot.middlewares.throttling import (
    HitCounter,
    MemoryHitCounter,
    RedisHitCounter,
    ThrottlingMiddleware,
)
from bot.middlewares.user import CurrentUserMiddleware
from bot.scheduler import run_scheduler
from bot.send_rate import PacedRequests, create_pace
from db.engine import create_engine, create_session_factory
from db.migrate import schema_lock, upgrade_to_head
from db.seed import seed_reference_data
from handlers import all_routers
from handlers.common import errors as error_handlers

log = logging.getLogger(__name__)

# Updates handled at once in polling mode. Beyond it polling waits and updates wait at
# Telegram; unbounded, a burst (10,000 poll answers in a minute) queues thousands of tasks on
# the database pool until they time out and are lost.
POLLING_TASKS = 16


def create_bot(settings: Settings, redis: Redis | None = None) -> Bot:
    session = AiohttpSession()
    if not settings.uses_official_api:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    bot = Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )
    bot.session.middleware(KeepResponseModels())
    # In this order: the update's transaction is committed before the call waits its turn.
    bot.session.middleware(CommitBeforeTelegram())
    bot.session.middleware(PacedRequests(create_pace(
        redis,
        f"kenesh:{bot.id}",
        settings.telegram_rate_per_second,
        settings.outbox_rate_per_second,
        settings.outbox_chat_interval_seconds,
    )))  # fmt: skip
    return bot


def create_dispatcher(
    settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
    i18n: I18n,
    redis: Redis | None = None,
    redis_prefix: str = "kenesh",
) -> Dispatcher:
    # The FSM middleware is registered by hand, after the DB session is opened, so that
    # without Redis the conversation state is read and written in the update's own
    # transaction. With Redis, any process can continue any conversation.
    dp = Dispatcher(
        disable_fsm=True,
        settings=settings,
        session_factory=session_factory,
        tz=settings.tz,
    )
    storage: BaseStorage
    isolation: BaseEventIsolation
    counter: HitCounter
    if redis is None:
        storage, isolation = DatabaseStorage(session_factory), SimpleEventIsolation()
        counter = MemoryHitCounter()
    else:
        keys = DefaultKeyBuilder(prefix=f"{redis_prefix}:fsm", with_destiny=True)
        storage = RedisStorage(redis, key_builder=keys)
        isolation = storage.create_isolation()
        counter = RedisHitCounter(redis, redis_prefix)
    fsm = FSMContextMiddleware(storage=storage, events_isolation=isolation)
    dp.update.outer_middleware(PrivateChatsOnly())
    dp.update.outer_middleware(DbSessionMiddleware(session_factory))
    dp.update.outer_middleware(fsm)
    dp.update.outer_middleware(CurrentUserMiddleware())
    dp.shutdown.register(fsm.close)
    dp.fsm = fsm  # where code outside an update (and the tests) finds the storage
    UserLocaleMiddleware(i18n).setup(dp)
    dp.callback_query.middleware(CallbackAnswerMiddleware())
    throttling = ThrottlingMiddleware(
        counter, settings.throttle_updates, settings.throttle_window_seconds
    )
    dp.message.middleware(throttling)
    dp.callback_query.middleware(throttling)
    dp.include_router(error_handlers.router())
    dp.include_routers(*all_routers())
    filters_on_the_loop(dp)
    skip_routers_for_other_buttons(dp)
    return dp


async def prepare_database(
    settings: Settings,
) -> tuple[AsyncEngine, async_sessionmaker[AsyncSession]]:
    """Connects, migrates to head and seeds reference data. Raises on an unreachable database."""
    engine = create_engine(settings.database_url)
    session_factory = create_session_factory(engine)
    async with schema_lock(engine):
        await upgrade_to_head(engine)
        async with session_factory() as session:
            await seed_reference_data(session)
    return engine, session_factory


async def build_app(settings: Settings) -> App:
    engine, session_factory = await prepare_database(settings)
    i18n = create_i18n(settings.locales_dir)
    redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
    bot = create_bot(settings, redis)
    prefix = f"kenesh:{bot.id}"
    dp = create_dispatcher(settings, session_factory, i18n, redis, prefix)
    return App(settings, engine, session_factory, i18n, bot, dp, redis, redis_prefix=prefix)


async def start_background(app: App) -> None:
    """Workers that run beside polling: the outbox sender and the scheduler's sweeps."""
    app.background.append(asyncio.create_task(run_delivery(app), name="delivery"))
    app.background.append(asyncio.create_task(run_scheduler(app), name="scheduler"))


def freeze_what_started() -> None:
    """Once the bot is up: what is loaded by then (modules, models, catalogs) lives as long
    as the process, so the collector's full passes, each a pause of the whole bot, stop
    walking it (about 120 -> 50 ms each under load; bench/RESULTS.md)."""
    gc.collect()  # start-up's own garbage is freed first, not kept for good
    gc.freeze()


async def run_polling(settings: Settings) -> None:
    app = await build_app(settings)
    site = None
    try:
        if settings.public_url:
            from bot.web import start_site

            site = await start_site(app, settings.web_host, settings.web_port)
        await register_commands(app.bot, app.i18n)
        await start_background(app)
        freeze_what_started()
        log.info("Kenesh is polling for updates")
        await app.dp.start_polling(
            app.bot,
            handle_signals=True,
            close_bot_session=False,
            tasks_concurrency_limit=POLLING_TASKS,
        )
    finally:
        if site is not None:
            await site.cleanup()
        await app.close()
