"""Administrators make people organizers (/addorganizer <Telegram id>) and revoke the role
from the list (/organizers)."""

from aiogram import Bot, Router, html
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import refresh_menu
from bot.config import Settings
from bot.keyboards.admin import organizer_list
from bot.keyboards.callbacks import OrganizerCb
from bot.services import users
from db.models import User
from handlers.common import message_of, no_longer_active


def router() -> Router:
    r = Router(name="admin_organizers")
    r.message.register(on_list, Command("organizers"))
    r.message.register(on_add, Command("addorganizer"))
    r.callback_query.register(on_revoke, OrganizerCb.filter())
    return r


async def on_list(message: Message, session: AsyncSession) -> None:
    organizers = await users.organizers(session)
    lines = [_("<b>Organizers</b>")]
    for organizer in organizers:
        name = html.quote(organizer.full_name or _("(no name)"))
        lines.append(f"• {name} — {organizer.telegram_id}")
    if not organizers:
        lines.append(_("None yet."))
    lines.append(
        _(
            "\nTo add one: /addorganizer followed by their Telegram id. They find it in their "
            "/profile (they must have started the bot)."
        )
    )
    await message.answer("\n".join(lines), reply_markup=organizer_list(organizers))


async def on_add(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    settings: Settings,
    bot: Bot,
    i18n: I18n,
) -> None:
    argument = (command.args or "").strip()
    if not argument.isdigit():
        await message.answer(_("Write it like this: /addorganizer 123456789"))
        return
    person = await users.set_organizer(session, int(argument), True)
    if person is None:
        await message.answer(
            _("Nobody with this id has started the bot yet. Ask them to send /start first.")
        )
        return
    await refresh_menu(bot, i18n, session, settings.admin_ids, person)
    await message.answer(
        _("{name} is now an organizer.").format(
            name=html.quote(person.full_name or str(person.telegram_id))
        )
    )


async def on_revoke(
    callback: CallbackQuery,
    callback_data: OrganizerCb,
    session: AsyncSession,
    settings: Settings,
    callback_answer: CallbackAnswer,
    bot: Bot,
    i18n: I18n,
) -> None:
    target = await session.get(User, callback_data.user_id)
    if message_of(callback) is None or target is None:
        no_longer_active(callback_answer)
        return
    await users.set_organizer(session, target.telegram_id, False)
    await refresh_menu(bot, i18n, session, settings.admin_ids, target)
    callback_answer.text = _("{name} is no longer an organizer.").format(
        name=target.full_name or target.telegram_id
    )
