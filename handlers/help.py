from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.keyboards import common as kb
from handlers.menu import MenuButton


def router() -> Router:
    r = Router(name="help")
    r.message.register(on_help, Command("help"))
    r.message.register(on_help, MenuButton(kb.MENU_HELP))
    return r


async def on_help(message: Message) -> None:
    await message.answer(
        _(
            "<b>Kenesh</b> is a bot for public consultations in Kyrgyzstan: dialogues, forums, "
            "open dialogue platforms, round tables and public hearings.\n\n"
            "Here you can register for events and get reminders, submit proposals on your "
            "region and topic, follow what became of them, and read the summaries. "
            "Compatriots abroad take part from wherever they live.\n\n"
            "/start: start or continue\n"
            "/events: events\n"
            "/propose: submit a proposal\n"
            "/myproposals: my proposals\n"
            "/proposals: browse proposals\n"
            "/search: search proposals\n"
            "/summaries: summaries\n"
            "/profile: my profile\n"
            "/language: change language\n"
            "/deleteme: delete my personal data\n"
            "/help: this help"
        ),
        reply_markup=kb.main_menu(),
    )
