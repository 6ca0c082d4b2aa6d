from typing import Any

from aiogram.types import TelegramObject
from aiogram.utils.i18n import I18nMiddleware

from bot.i18n import DEFAULT_LOCALE, language_from_telegram
from db.models import User


class UserLocaleMiddleware(I18nMiddleware):
    """The saved language first; until one is chosen, Telegram's client language."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        user: User | None = data.get("user")
        if user is not None and user.language:
            return user.language
        telegram_user = data.get("event_from_user")
        guessed = language_from_telegram(telegram_user.language_code if telegram_user else None)
        return guessed or DEFAULT_LOCALE
