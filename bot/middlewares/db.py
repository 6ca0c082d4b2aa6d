from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import TelegramObject
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.fsm_storage import current_session
from db.engine import current_work


class DbSessionMiddleware(BaseMiddleware):
    """One session per update: committed when the handler returns, rolled back on error."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        # Once this update has had the connection, it gets it back ahead of updates that
        # have not started (db.engine.FairQueue): the ones under way finish first.
        work_token = current_work.set([False])
        async with self._session_factory() as session:
            token = current_session.set(session)
            data["session"] = session
            try:
                result = await handler(event, data)
                if _has_work(session):
                    await session.commit()
                return result
            except BaseException:
                await session.rollback()
                raise
            finally:
                current_session.reset(token)
                current_work.reset(work_token)
                # The error handlers see this same dict; the session and the rows it loaded
                # are gone with the rollback, so they must not be used there.
                data.pop("session", None)
                data.pop("user", None)


def _has_work(session: AsyncSession) -> bool:
    """Whether committing would do anything: most updates end with their transaction
    already committed before the reply, and an empty commit still costs its events."""
    return session.in_transaction() or bool(session.new or session.dirty or session.deleted)


class CommitBeforeTelegram(BaseRequestMiddleware):
    """Commits the update's open transaction before any call to Telegram.

    A transaction must never stay open across a network call (on SQLite it holds the write
    lock), and a person must not read "saved" before it is."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        session = current_session.get()
        if session is not None and session.in_transaction():
            await session.commit()
        return await make_request(bot, method)
