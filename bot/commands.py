"""The commands of each role, as data: the command menus (setMyCommands) and /help are built
from these lists, so a journey adds a command by adding one line to its role's list."""

import asyncio
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramRetryAfter
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import DEFAULT_LOCALE, LANGUAGES, N_
from bot.services import users
from bot.services.roles import ADMIN, ORGANIZER, PARTICIPANT, REPRESENTATIVE, ROLES, roles_of
from db.models import User

log = logging.getLogger(__name__)

# A menu is worth a short wait when Telegram asks for one, not a long one in a handler.
MAX_MENU_WAIT_SECONDS = 5


# (command, description msgid) per role. Everyone has the participant's commands; a role's
# list holds what it adds. Features add their commands here.
COMMANDS: dict[str, list[tuple[str, str]]] = {
    PARTICIPANT: [
        ("start", N_("Start or continue")),
        ("events", N_("Events")),
        ("myevents", N_("My events")),
        ("propose", N_("Submit a proposal")),
        ("myproposals", N_("My proposals")),
        ("proposals", N_("Browse proposals")),
        ("search", N_("Search proposals")),
        ("summaries", N_("Summaries")),
        ("drafts", N_("Drafts open for discussion")),
        ("profile", N_("My profile")),
        ("language", N_("Change language")),
        ("help", N_("Help")),
        ("deleteme", N_("Delete my personal data")),
    ],
    REPRESENTATIVE: [
        ("home", N_("My home screen")),
        ("items", N_("Proposals for my agency")),
    ],
    ORGANIZER: [
        ("home", N_("My home screen")),
        ("organize", N_("Events: create and manage")),
        ("checkin", N_("Check an entrance code")),
        ("moderate", N_("Moderate proposals")),
        ("merge", N_("Merge two proposals")),
        ("announce", N_("Send an announcement")),
        ("agencies", N_("Agencies and their figures")),
        ("agency", N_("An agency's card")),
        ("addagency", N_("Add an agency")),
        ("invite", N_("Invite a representative")),
        ("forward", N_("Forward a proposal")),
        ("routes", N_("Agencies by topic")),
        ("holidays", N_("Holidays")),
        ("holiday", N_("Add a holiday")),
        ("stats", N_("Statistics and exports")),
        ("newdraft", N_("Publish a draft for discussion")),
        ("managedrafts", N_("Drafts: comments and decisions")),
        ("poll", N_("A poll for participants")),
        ("polls", N_("Polls and their results")),
        ("cancel", N_("Stop what you are doing")),
    ],
    ADMIN: [
        ("organizers", N_("Organizers")),
        ("addorganizer", N_("Add an organizer")),
    ],
}

# Shown in /help only: a menu command cannot carry an argument.
HELP_ONLY: dict[str, list[tuple[str, str]]] = {
    PARTICIPANT: [("p12", N_("open proposal number 12 (any number works)"))],
}

HELP_SECTIONS = {
    PARTICIPANT: N_("<b>Commands</b>"),
    REPRESENTATIVE: N_("<b>For agency representatives</b>"),
    ORGANIZER: N_("<b>For organizers</b>"),
    ADMIN: N_("<b>For administrators</b>"),
}


def with_participant(roles: frozenset[str] | set[str]) -> list[str]:
    """The roles in menu order; every person is a participant too."""
    return [role for role in ROLES if role == PARTICIPANT or role in roles]


def commands_of(roles: frozenset[str] | set[str]) -> list[tuple[str, str]]:
    """Every command the roles can use, once each, in menu order."""
    seen: set[str] = set()
    found: list[tuple[str, str]] = []
    for role in with_participant(roles):
        for name, msgid in COMMANDS[role]:
            if name not in seen:
                seen.add(name)
                found.append((name, msgid))
    return found


def bot_commands(i18n: I18n, locale: str, roles: frozenset[str] = frozenset()) -> list[BotCommand]:
    return [
        BotCommand(command=name, description=i18n.gettext(msgid, locale=locale))
        for name, msgid in commands_of(roles)
    ]


def help_lines(i18n: I18n, locale: str, roles: frozenset[str]) -> list[str]:
    """The commands part of /help: one section per role, each command once."""
    lines: list[str] = []
    seen: set[str] = set()
    for role in with_participant(roles):
        entries = [(n, m) for n, m in COMMANDS[role] if n not in seen] + HELP_ONLY.get(role, [])
        seen.update(n for n, _m in COMMANDS[role])
        if not entries:
            continue
        lines += ["", i18n.gettext(HELP_SECTIONS[role], locale=locale)]
        lines += [f"/{name}: {i18n.gettext(msgid, locale=locale)}" for name, msgid in entries]
    return lines


async def register_commands(bot: Bot, i18n: I18n) -> None:
    """The participants' menu, for everyone, in each language."""
    for locale in LANGUAGES:
        await bot.set_my_commands(
            bot_commands(i18n, locale), scope=BotCommandScopeDefault(), language_code=locale
        )
    # Clients in any other language see Kyrgyz, the bot's default.
    await bot.set_my_commands(bot_commands(i18n, DEFAULT_LOCALE), scope=BotCommandScopeDefault())


async def set_chat_menu(
    bot: Bot, i18n: I18n, chat_id: int, locale: str | None, roles: frozenset[str]
) -> bool:
    """One person's menu: their roles' commands in their language. Called when a role is
    granted or taken away and when the language changes; a participant who chose the language
    their Telegram app already has keeps the default menu (the caller decides). A failure is
    logged, not raised: the role itself is already saved, the menu follows on the next change."""
    commands = bot_commands(i18n, locale or DEFAULT_LOCALE, roles)
    scope = BotCommandScopeChat(chat_id=chat_id)
    for attempt in (1, 2):
        try:
            await bot.set_my_commands(commands, scope=scope)
            return True
        except TelegramRetryAfter as error:  # once, after the wait Telegram asks for
            if attempt == 2 or error.retry_after > MAX_MENU_WAIT_SECONDS:
                log.warning("no command menu for chat %s: flood control", chat_id)
                return False
            await asyncio.sleep(error.retry_after)
        except TelegramAPIError:
            log.warning("could not set the command menu of chat %s", chat_id, exc_info=True)
            return False
    return False


async def refresh_menu(
    bot: Bot, i18n: I18n, session: AsyncSession, admin_ids: frozenset[int], person: User
) -> bool:
    """After a role is granted or taken away: the person's menu lists what they can use now."""
    roles = await roles_of(session, admin_ids, person)
    return await set_chat_menu(bot, i18n, person.telegram_id, person.language, roles)


async def refresh_staff_menu(
    bot: Bot, i18n: I18n, session: AsyncSession, admin_ids: frozenset[int], person: User
) -> None:
    """At /start: an administrator is one from the configuration, not granted in the bot, so
    their menu is set when they come (granted roles set it at once, see refresh_menu)."""
    if person.is_organizer or users.is_admin(admin_ids, person):
        await refresh_menu(bot, i18n, session, admin_ids, person)


async def reset_chat_menu(bot: Bot, chat_id: int) -> None:
    """Back to the default menus (a participant who chose their app's language again)."""
    try:
        await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id=chat_id))
    except TelegramAPIError:
        log.warning("could not reset the command menu of chat %s", chat_id, exc_info=True)
