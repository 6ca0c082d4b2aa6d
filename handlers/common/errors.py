"""An unexpected exception in one handler is logged and the person is told; the bot goes on."""

import logging

from aiogram import Bot, Router
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import DEFAULT_LOCALE, N_, language_from_telegram
from bot.services import users

log = logging.getLogger(__name__)

SOMETHING_WENT_WRONG = N_("Something went wrong, please try again.")


def router() -> Router:
    r = Router(name="errors")
    r.errors.register(on_error)
    return r


async def on_error(
    event: ErrorEvent, bot: Bot, i18n: I18n, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    update = event.update
    log.error("update %s failed: %s", update.update_id, event.exception, exc_info=event.exception)
    # A poll answer names its person `user`; the other updates, `from_user`.
    telegram_user = getattr(update.event, "from_user", None) or getattr(update.event, "user", None)
    if telegram_user is None:
        return
    chat = getattr(update.event, "chat", None) or getattr(
        getattr(update.event, "message", None), "chat", None
    )
    if chat is not None and chat.type != "private":
        return
    try:
        async with session_factory() as session:
            language = await users.language_of(session, telegram_user.id)
        locale = language or language_from_telegram(telegram_user.language_code) or DEFAULT_LOCALE
        text = i18n.gettext(SOMETHING_WENT_WRONG, locale=locale)
        # A message, not a callback answer: CallbackAnswerMiddleware has answered already.
        await bot.send_message(telegram_user.id, text)
    except Exception as failure:
        # Telling the person failed too; the original error is already logged.
        log.warning("could not report the failure of update %s: %s", update.update_id, failure)
