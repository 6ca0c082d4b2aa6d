"""Last in line: anything no journey claimed gets a short hint instead of silence."""

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot.keyboards import common as kb
from handlers.common import no_longer_active


def router() -> Router:
    r = Router(name="fallback")
    r.message.register(on_unknown_message)
    r.callback_query.register(on_stale_button)
    return r


async def on_unknown_message(message: Message) -> None:
    await message.answer(
        _("I did not understand that. Please use the menu below, or /help."),
        reply_markup=kb.main_menu(),
    )


async def on_stale_button(callback: CallbackQuery, callback_answer: CallbackAnswer) -> None:
    no_longer_active(callback_answer)
