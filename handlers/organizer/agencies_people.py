"""Organizers bring representatives to an agency and take them away: a one-time invitation
link (/invite code, or «New link» on the card's 🔗 Invitations), the open links (revoke one),
the representatives (remove one)."""

from html import escape
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.filters import CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.deep_linking import create_start_link
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import refresh_menu
from bot.config import Settings
from bot.i18n import format_day
from bot.keyboards import agencies as kb
from bot.keyboards.agencies import AgencyDirectoryCb
from bot.services import agencies
from db.models import Agency, User, utcnow
from handlers.common import no_longer_active


async def invitation_link(
    session: AsyncSession, bot: Bot, agency: Agency, organizer: User, settings: Settings
) -> str:
    _invitation, token = await agencies.create_invitation(
        session, agency, organizer, days=settings.agency_invitation_days
    )
    link = await create_start_link(bot, f"ag_{token}")
    return _(
        "A one-time link for a representative of {agency}, valid for {days} days:\n{link}\n"
        "Whoever opens it first becomes the representative."
    ).format(
        agency=escape(agency.name_ru, quote=False),
        days=settings.agency_invitation_days,
        link=link,
    )


async def on_invite(
    message: Message,
    command: CommandObject,
    user: User,
    session: AsyncSession,
    settings: Settings,
    bot: Bot,
) -> None:
    code = (command.args or "").strip()
    agency = await agencies.agency_by_code(session, code, active_only=True)
    if agency is None:
        await message.answer(_("Write it like this: /invite minedu (the codes are in /agencies)."))
        return
    await message.answer(await invitation_link(session, bot, agency, user, settings))


async def on_invitations(
    _callback: CallbackQuery,
    message: Message,
    agency: Agency,
    session: AsyncSession,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    await _show_invitations(message, session, agency, i18n.current_locale, tz)


async def on_new_invitation(
    _callback: CallbackQuery,
    message: Message,
    agency: Agency,
    user: User,
    session: AsyncSession,
    settings: Settings,
    bot: Bot,
) -> None:
    await message.answer(await invitation_link(session, bot, agency, user, settings))


async def on_revoke(
    _callback: CallbackQuery,
    callback_data: AgencyDirectoryCb,
    agency: Agency,
    message: Message,
    session: AsyncSession,
    tz: ZoneInfo,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    await agencies.revoke_invitation(session, int(callback_data.value), utcnow())
    callback_answer.text = _("The link is revoked: it no longer works.")
    await _show_invitations(message, session, agency, i18n.current_locale, tz)


async def on_representatives(
    _callback: CallbackQuery, message: Message, agency: Agency, session: AsyncSession, i18n: I18n
) -> None:
    await _show_representatives(message, session, agency, i18n.current_locale)


async def on_remove_representative(
    _callback: CallbackQuery,
    message: Message,
    agency: Agency,
    callback_data: AgencyDirectoryCb,
    session: AsyncSession,
    settings: Settings,
    bot: Bot,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    removed = await agencies.remove_representative(session, agency, int(callback_data.value))
    if removed is None:
        no_longer_active(callback_answer)
        return
    await refresh_menu(bot, i18n, session, settings.admin_ids, removed)
    callback_answer.text = _("Removed: the agency's proposals no longer go to them.")
    await _show_representatives(message, session, agency, i18n.current_locale)


async def _show_representatives(
    message: Message, session: AsyncSession, agency: Agency, locale: str
) -> None:
    people = await agencies.representative_users(session, agency.id)
    lines = [
        _("<b>Representatives of {agency}</b>: {count}").format(
            agency=escape(agency.name(locale), quote=False), count=len(people)
        )
    ]
    for person in people:
        name = person.full_name or str(person.telegram_id)
        lines.append(f"• {escape(name, quote=False)}")
    if not people:
        lines.append(_("None yet: make an invitation link under 🔗 Invitations."))
    await message.answer("\n".join(lines), reply_markup=kb.representatives(agency.id, people))


async def _show_invitations(
    message: Message, session: AsyncSession, agency: Agency, locale: str, tz: ZoneInfo
) -> None:
    open_ones = await agencies.open_invitations_with_makers(session, agency.id, utcnow())
    lines = [
        _("<b>Open invitations of {agency}</b>: {count}").format(
            agency=escape(agency.name(locale), quote=False), count=len(open_ones)
        )
    ]
    for invitation, maker in open_ones:
        lines.append(
            _("#{id}: made by {name}, valid until {day}").format(
                id=invitation.id,
                name=escape((maker.full_name if maker else None) or "—", quote=False),
                day=format_day(invitation.expires_at, locale, tz),
            )
        )
    markup = kb.invitations(agency.id, [invitation for invitation, _maker in open_ones])
    await message.answer("\n".join(lines), reply_markup=markup)
