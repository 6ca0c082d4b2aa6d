"""The command menu, registered per language with setMyCommands."""

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from aiogram.utils.i18n import I18n

from bot.i18n import LANGUAGES, N_

# (command, description msgid). Features add their commands here.
COMMANDS: list[tuple[str, str]] = [
    ("start", N_("Start or continue")),
    ("events", N_("Events")),
    ("myevents", N_("My events")),
    ("propose", N_("Submit a proposal")),
    ("myproposals", N_("My proposals")),
    ("proposals", N_("Browse proposals")),
    ("search", N_("Search proposals")),
    ("summaries", N_("Summaries")),
    ("profile", N_("My profile")),
    ("language", N_("Change language")),
    ("help", N_("Help")),
    ("deleteme", N_("Delete my personal data")),
    ("poll", N_("Organizers: a poll for participants")),  # issue 19
    ("polls", N_("Organizers: polls and their results")),  # issue 19
]


def bot_commands(i18n: I18n, locale: str) -> list[BotCommand]:
    return [
        BotCommand(command=name, description=i18n.gettext(msgid, locale=locale))
        for name, msgid in COMMANDS
    ]


async def register_commands(bot: Bot, i18n: I18n) -> None:
    for locale in LANGUAGES:
        await bot.set_my_commands(
            bot_commands(i18n, locale), scope=BotCommandScopeDefault(), language_code=locale
        )
    # Clients in any other language see Kyrgyz, the bot's default.
    await bot.set_my_commands(bot_commands(i18n, "ky"), scope=BotCommandScopeDefault())


async def set_chat_commands(bot: Bot, i18n: I18n, chat_id: int, locale: str) -> None:
    """After /language the command menu follows the chosen language, not the client's."""
    await bot.set_my_commands(
        bot_commands(i18n, locale), scope=BotCommandScopeChat(chat_id=chat_id)
    )
