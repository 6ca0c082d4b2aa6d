from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject
from aiogram.types import User as TelegramUser
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.i18n import language_from_telegram
from bot.keyboards.common import organizer_menu
from bot.services import users


class CurrentUserMiddleware(BaseMiddleware):
    """Loads (or creates) the person behind the update as `user`."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        telegram_user: TelegramUser = data["event_from_user"]
        session: AsyncSession = data["session"]
        # Stored on the first update, however the person arrives (a /start, an invitation
        # or event link, a button): notices sent later use it.
        guessed = language_from_telegram(telegram_user.language_code)
        user = await users.get_or_create(session, telegram_id=telegram_user.id, language=guessed)
        if user.language is None and guessed is not None:
            await users.set_language(session, user, guessed)
        data["user"] = user
        settings: Settings = data["settings"]
        token = organizer_menu.set(users.can_organize(settings.admin_ids, user))
        try:
            return await handler(event, data)
        finally:
            organizer_menu.reset(token)
