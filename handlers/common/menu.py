"""The main menu's buttons. Journeys that have not landed yet say so, in both languages."""

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.keyboards import common as kb
from handlers.common.filters import MenuButton

__all__ = ["COMING_SOON", "MenuButton", "coming_soon", "router"]

# Menu entries and commands whose journeys are still to come: (label msgid, command).
COMING_SOON: list[tuple[str, str]] = []


def router() -> Router:
    r = Router(name="menu")
    for label, command in COMING_SOON:
        r.message.register(coming_soon, MenuButton(label))
        r.message.register(coming_soon, Command(command))
    return r


async def coming_soon(message: Message) -> None:
    await message.answer(_("Coming soon."), reply_markup=kb.main_menu())
