"""/help, written for the person's roles: the commands come from bot/commands.py."""

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import help_lines
from bot.config import Settings
from bot.keyboards import common as kb
from bot.services.roles import roles_of
from db.models import User
from handlers.common import MenuButton


def router() -> Router:
    r = Router(name="help")
    r.message.register(on_help, Command("help"))
    r.message.register(on_help, MenuButton(kb.MENU_HELP))
    return r


async def on_help(
    message: Message, session: AsyncSession, user: User, settings: Settings, i18n: I18n
) -> None:
    roles = await roles_of(session, settings.admin_ids, user)
    intro = _(
        "<b>Kenesh</b> is a bot for public consultations in Kyrgyzstan: dialogues, forums, "
        "open dialogue platforms, round tables and public hearings.\n\n"
        "Here you can register for events and get reminders, submit proposals on your "
        "region and topic, follow what became of them, and read the summaries. "
        "Compatriots abroad take part from wherever they live."
    )
    text = "\n".join([intro, *help_lines(i18n, i18n.current_locale, roles)])
    await message.answer(text, reply_markup=kb.main_menu())
