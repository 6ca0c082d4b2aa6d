"""The main menu's buttons. Journeys that have not landed yet say so, in both languages."""

from aiogram import Router
from aiogram.filters import BaseFilter, Command
from aiogram.types import Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.i18n import translations
from bot.keyboards import common as kb


class MenuButton(BaseFilter):
    """Matches a main-menu label in any language (an old keyboard may be in the other one)."""

    def __init__(self, msgid: str) -> None:
        self.msgid = msgid

    async def __call__(self, message: Message, i18n: I18n) -> bool:
        return message.text is not None and message.text in translations(i18n, self.msgid)


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
