"""Administrators (ADMIN_IDS) make people organizers and revoke the role."""

from aiogram import Bot, Router, html
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import refresh_menu
from bot.config import Settings
from bot.keyboards.callbacks import OrganizerCb
from bot.services import users
from db.models import User
from handlers.common import message_of, no_longer_active


def router() -> Router:
    r = Router(name="organizers")
    r.message.register(on_list, Command("organizers"))
    r.message.register(on_add, Command("addorganizer"))
    r.callback_query.register(on_revoke, OrganizerCb.filter())
    return r


async def on_list(message: Message, user: User, session: AsyncSession, settings: Settings) -> None:
    if not users.is_admin(settings.admin_ids, user):
        await message.answer(_("This command is for administrators."))
        return
    organizers = await users.organizers(session)
    lines = [_("<b>Organizers</b>")]
    builder = InlineKeyboardBuilder()
    for organizer in organizers:
        name = html.quote(organizer.full_name or _("(no name)"))
        lines.append(f"• {name} — {organizer.telegram_id}")
        builder.button(
            text=_("Revoke: {name}").format(name=organizer.full_name or organizer.telegram_id),
            callback_data=OrganizerCb(action="revoke", user_id=organizer.id),
        )
    if not organizers:
        lines.append(_("None yet."))
    lines.append(
        _(
            "\nTo add one: /addorganizer followed by their Telegram id. They find it in their "
            "/profile (they must have started the bot)."
        )
    )
    builder.adjust(1)
    await message.answer("\n".join(lines), reply_markup=builder.as_markup())


async def on_add(
    message: Message,
    command: CommandObject,
    user: User,
    session: AsyncSession,
    settings: Settings,
    bot: Bot,
    i18n: I18n,
) -> None:
    if not users.is_admin(settings.admin_ids, user):
        await message.answer(_("This command is for administrators."))
        return
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
    user: User,
    session: AsyncSession,
    settings: Settings,
    callback_answer: CallbackAnswer,
    bot: Bot,
    i18n: I18n,
) -> None:
    message = message_of(callback)
    target = await session.get(User, callback_data.user_id)
    if message is None or target is None or not users.is_admin(settings.admin_ids, user):
        no_longer_active(callback_answer)
        return
    await users.set_organizer(session, target.telegram_id, False)
    await refresh_menu(bot, i18n, session, settings.admin_ids, target)
    callback_answer.text = _("{name} is no longer an organizer.").format(
        name=target.full_name or target.telegram_id
    )
