"""Last in line: anything no journey claimed gets a short hint instead of silence. A button or
command meant for another role (bot/filters.py) says whom it is for."""

from typing import Any

from aiogram import Router
from aiogram.filters import BaseFilter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.filters import Role, lacks_role_for
from bot.keyboards import common as kb
from db.models import User
from handlers.common.pieces import no_longer_active


class MeantForRole(BaseFilter):
    """The command or button needs a role the person lacks: supplies it as `role`."""

    async def __call__(
        self, event: Message | CallbackQuery, user: User, settings: Settings, session: AsyncSession
    ) -> bool | dict[str, Any]:
        role = await lacks_role_for(event, user, settings, session)
        return False if role is None else {"role": role}


def router() -> Router:
    r = Router(name="fallback")
    r.message.register(on_command_for_role, MeantForRole())
    r.message.register(on_unknown_message)
    r.callback_query.register(on_button_for_role, MeantForRole())
    r.callback_query.register(on_stale_button)
    return r


def _meant_for(role: Role) -> tuple[str, str]:
    """What a button and a command meant for `role` say to someone without it."""
    return {
        Role.ORGANIZER: (
            _("This button is for organizers."),
            _("This command is for organizers."),
        ),
        Role.REPRESENTATIVE: (
            _("This button is for the representatives of agencies."),
            _("This command is for the representatives of agencies."),
        ),
        Role.ADMINISTRATOR: (
            _("This button is for administrators."),
            _("This command is for administrators."),
        ),
    }[role]


async def on_command_for_role(message: Message, role: Role) -> None:
    await message.answer(_meant_for(role)[1], reply_markup=kb.main_menu())


async def on_unknown_message(message: Message) -> None:
    await message.answer(
        _("I did not understand that. Please use the menu below, or /help."),
        reply_markup=kb.main_menu(),
    )


async def on_button_for_role(
    callback: CallbackQuery, callback_answer: CallbackAnswer, role: Role
) -> None:
    callback_answer.text = _meant_for(role)[0]
    callback_answer.show_alert = True


async def on_stale_button(callback: CallbackQuery, callback_answer: CallbackAnswer) -> None:
    no_longer_active(callback_answer)
