"""Last in line: anything no journey claimed gets a short hint instead of silence. A button or
command meant for another role (bot/filters.py) says whom it is for."""

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.filters import Role, lacks_role_for
from bot.keyboards import common as kb
from db.models import User
from handlers.common import no_longer_active


def router() -> Router:
    r = Router(name="fallback")
    r.message.register(on_unknown_message)
    r.callback_query.register(on_stale_button)
    return r


def _button_for(role: Role) -> str:
    return {
        Role.ORGANIZER: _("This button is for organizers."),
        Role.REPRESENTATIVE: _("This button is for the representatives of agencies."),
        Role.ADMINISTRATOR: _("This button is for administrators."),
    }[role]


def _command_for(role: Role) -> str:
    return {
        Role.ORGANIZER: _("This command is for organizers."),
        Role.REPRESENTATIVE: _("This command is for the representatives of agencies."),
        Role.ADMINISTRATOR: _("This command is for administrators."),
    }[role]


async def on_unknown_message(
    message: Message, user: User, settings: Settings, session: AsyncSession
) -> None:
    role = await lacks_role_for(message, user, settings, session)
    if role is not None:
        await message.answer(_command_for(role), reply_markup=kb.main_menu())
        return
    await message.answer(
        _("I did not understand that. Please use the menu below, or /help."),
        reply_markup=kb.main_menu(),
    )


async def on_stale_button(
    callback: CallbackQuery,
    callback_answer: CallbackAnswer,
    user: User,
    settings: Settings,
    session: AsyncSession,
) -> None:
    role = await lacks_role_for(callback, user, settings, session)
    if role is not None:
        callback_answer.text = _button_for(role)
        callback_answer.show_alert = True
        return
    no_longer_active(callback_answer)
