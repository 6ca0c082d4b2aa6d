"""The agency directory, kept by organizers in the bot: an agency's card (answer time,
calendar or working days, retire), its invitations (new link, revoke), new agencies, the
topic routes and the public holidays."""

from datetime import date, timedelta
from html import escape
from zoneinfo import ZoneInfo

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.deep_linking import create_start_link
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import refresh_menu
from bot.config import Settings
from bot.i18n import format_day
from bot.keyboards.agencies import AgencyDirectoryCb as Cb
from bot.services import agencies, users, validation
from bot.services.errors import InvalidInput
from db.models import Agency, Holiday, Topic, User, utcnow
from handlers.common import message_of, no_longer_active, organizers_only

DAY_CHOICES = (5, 10, 14, 30)


def router() -> Router:
    r = Router(name="agency_directory")
    r.message.register(on_agency, Command("agency"))
    r.message.register(on_add_agency, Command("addagency"))
    r.message.register(on_routes, Command("routes"))
    r.message.register(on_holidays, Command("holidays"))
    r.message.register(on_add_holiday, Command("holiday"))
    r.callback_query.register(on_press, Cb.filter())
    return r


def answer_time(days: int, working: bool) -> str:
    if working:
        template = ngettext(
            "Answer time: {days} working day", "Answer time: {days} working days", days
        )
    else:
        template = ngettext(
            "Answer time: {days} calendar day", "Answer time: {days} calendar days", days
        )
    return template.format(days=days)


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


async def on_agency(
    message: Message,
    command: CommandObject,
    user: User,
    session: AsyncSession,
    settings: Settings,
    i18n: I18n,
) -> None:
    if not await organizers_only(message, settings, user):
        return
    code = (command.args or "").strip().lower()
    agency = await session.scalar(select(Agency).where(Agency.code == code))
    if agency is None:
        await message.answer(_("Write it like this: /agency minedu (the codes are in /agencies)."))
        return
    await _show_card(message, session, agency, i18n.current_locale)


async def _show_card(message: Message, session: AsyncSession, agency: Agency, locale: str) -> None:
    reps = await agencies.representatives(session, agency.id)
    lines = [
        f"<b>{escape(agency.name(locale), quote=False)}</b> (<code>{agency.code}</code>)",
        answer_time(agency.answer_days, agency.working_days),
        _("Representatives: {count}").format(count=len(reps)),
    ]
    if not agency.is_active:
        lines.append(_("Retired: no longer offered for forwarding."))
    builder = InlineKeyboardBuilder()
    if agency.is_active:
        for days in DAY_CHOICES:
            mark = "• " if days == agency.answer_days else ""
            builder.button(
                text=f"{mark}{days}", callback_data=Cb(action="days", id=agency.id, value=str(days))
            )
        other = _("Count in calendar days") if agency.working_days else _("Count in working days")
        builder.button(text=other, callback_data=Cb(action="kind", id=agency.id))
        builder.button(text=_("🔗 Invitations"), callback_data=Cb(action="invites", id=agency.id))
        builder.button(text=_("👥 Representatives"), callback_data=Cb(action="reps", id=agency.id))
        builder.button(text=_("Retire"), callback_data=Cb(action="retire", id=agency.id))
        builder.adjust(len(DAY_CHOICES), 1, 1, 1, 1)
    await message.answer("\n".join(lines), reply_markup=builder.as_markup())


async def on_add_agency(
    message: Message,
    command: CommandObject,
    user: User,
    session: AsyncSession,
    settings: Settings,
    i18n: I18n,
) -> None:
    if not await organizers_only(message, settings, user):
        return
    usage = _(
        "Write it in one line, parts separated by «;»: code; name in Kyrgyz; name in Russian; "
        "days to answer; working or calendar. For example:\n"
        "/addagency minjust; Юстиция министрлиги; Министерство юстиции; 14; working"
    )
    parts = [part.strip() for part in (command.args or "").split(";")]
    if len(parts) != 5 or not parts[3].isdigit() or parts[4] not in ("working", "calendar"):
        await message.answer(usage)
        return
    code, name_ky, name_ru, days, kind = parts
    if not code.replace("-", "").isalnum() or not code.isascii():
        await message.answer(_("The code may have only Latin letters, digits and «-»."))
        return
    try:
        agency = await agencies.add_agency(
            session, code, name_ky, name_ru, int(days), kind == "working"
        )
    except InvalidInput as error:
        if error.reason == "agency_code_taken":
            await message.answer(_("The code {code} is taken.").format(code=code.lower()))
        elif error.reason == "answer_days_range":
            await message.answer(_("Days to answer: from 1 to 365."))
        else:
            await message.answer(usage)
        return
    await message.answer(_("The agency is added."))
    await _show_card(message, session, agency, i18n.current_locale)


async def on_routes(
    message: Message, user: User, session: AsyncSession, settings: Settings, i18n: I18n
) -> None:
    if not await organizers_only(message, settings, user):
        return
    locale = i18n.current_locale
    lines = [_("<b>Which agency gets each topic's proposals.</b> Press a topic to change it.")]
    builder = InlineKeyboardBuilder()
    for topic in await session.scalars(select(Topic).order_by(Topic.sort_order)):
        agency = await agencies.default_agency(session, topic.code)
        target = agency.short_name(locale) if agency else "—"
        lines.append(f"{escape(topic.name(locale), quote=False)} → {target}")
        builder.button(
            text=topic.name(locale)[:60], callback_data=Cb(action="topic", value=topic.code)
        )
    builder.adjust(2)
    await message.answer("\n".join(lines), reply_markup=builder.as_markup())


async def on_holidays(
    message: Message,
    user: User,
    session: AsyncSession,
    settings: Settings,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    if not await organizers_only(message, settings, user):
        return
    today = utcnow().astimezone(tz).date()
    rows = await session.scalars(
        select(Holiday)
        .where(Holiday.day >= today, Holiday.day < today + timedelta(days=366))
        .order_by(Holiday.day)
    )
    locale = i18n.current_locale
    lines = [_("<b>Public holidays in the next 12 months</b> (working days skip them):")]
    for holiday in rows:
        name = holiday.name_ky if locale == "ky" else holiday.name_ru
        lines.append(f"{holiday.day:%d.%m.%Y} {escape(name or '', quote=False)}")
    lines.append(_("Add one (such as Orozo Ait): /holiday 20.03.2027 Орозо айт; Орозо айт"))
    await message.answer("\n".join(lines))


async def on_add_holiday(
    message: Message,
    command: CommandObject,
    user: User,
    session: AsyncSession,
    settings: Settings,
    tz: ZoneInfo,
) -> None:
    if not await organizers_only(message, settings, user):
        return
    day_text, _space, names = (command.args or "").strip().partition(" ")
    name_ky, _semicolon, name_ru = names.partition(";")
    try:
        day: date | None = validation.parse_day(day_text)
    except InvalidInput:
        day = None
    if day is not None and day < utcnow().astimezone(tz).date():
        await message.answer(_("The date must be in the future."))
        return
    if day is None or not (name_ky.strip() or name_ru.strip()):
        await message.answer(
            _("Write it like this: /holiday 20.03.2027 name in Kyrgyz; name in Russian")
        )
        return
    await agencies.add_holiday(session, day, name_ky, name_ru)
    await message.answer(
        _("{day} is a holiday now: due dates in working days skip it.").format(
            day=f"{day:%d.%m.%Y}"
        )
    )


async def on_press(
    callback: CallbackQuery,
    callback_data: Cb,
    user: User,
    session: AsyncSession,
    settings: Settings,
    i18n: I18n,
    tz: ZoneInfo,
    bot: Bot,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    if message is None or not users.can_organize(settings.admin_ids, user):
        no_longer_active(callback_answer)
        return
    action, locale = callback_data.action, i18n.current_locale
    if action == "topic":
        builder = InlineKeyboardBuilder()
        active = await session.scalars(select(Agency).where(Agency.is_active).order_by(Agency.code))
        for option in active:
            builder.button(
                text=option.short_name(locale)[:60],
                callback_data=Cb(action="route", id=option.id, value=callback_data.value),
            )
        builder.button(
            text=_("None: route by hand"),
            callback_data=Cb(action="route", value=callback_data.value),
        )
        builder.adjust(1)
        await message.answer(_("The agency for this topic:"), reply_markup=builder.as_markup())
        return
    if action == "route":
        topic = await session.get(Topic, callback_data.value)
        agency = await session.get(Agency, callback_data.id) if callback_data.id else None
        if topic is None or (agency is not None and not agency.is_active):
            no_longer_active(callback_answer)
            return
        await agencies.set_route(session, topic.code, agency.id if agency else None)
        target = agency.short_name(locale) if agency else _("none: route by hand")
        await message.edit_text(
            f"{escape(topic.name(locale), quote=False)} → {escape(target, quote=False)}"
        )
        return
    agency = await session.get(Agency, callback_data.id)
    if agency is None or not agency.is_active:
        no_longer_active(callback_answer)
        return
    if action == "days":
        await agencies.edit_agency(session, agency, answer_days=int(callback_data.value))
        callback_answer.text = _(
            "Answer time: {days} days, for proposals forwarded from now on."
        ).format(days=agency.answer_days)
        await _show_card(message, session, agency, locale)
    elif action == "kind":
        await agencies.edit_agency(session, agency, working_days=not agency.working_days)
        await _show_card(message, session, agency, locale)
    elif action == "retire":
        builder = InlineKeyboardBuilder()
        builder.button(
            text=_("Yes, retire it"), callback_data=Cb(action="retire_yes", id=agency.id)
        )
        await message.answer(
            _(
                "Retire {agency}? Its open items stay open and followed up; new proposals "
                "can no longer be forwarded to it."
            ).format(agency=escape(agency.name(locale), quote=False)),
            reply_markup=builder.as_markup(),
        )
    elif action == "retire_yes":
        await agencies.retire_agency(session, agency)
        await message.edit_text(
            _("{agency} is retired.").format(agency=escape(agency.name(locale), quote=False))
        )
    elif action == "invites":
        await _show_invitations(message, session, agency, locale, tz)
    elif action == "invite":
        await message.answer(await invitation_link(session, bot, agency, user, settings))
    elif action == "revoke":
        await agencies.revoke_invitation(session, int(callback_data.value), utcnow())
        callback_answer.text = _("The link is revoked: it no longer works.")
        await _show_invitations(message, session, agency, locale, tz)
    elif action == "reps":
        await _show_representatives(message, session, agency, locale)
    elif action == "unrep":
        if not await agencies.remove_representative(session, agency, int(callback_data.value)):
            no_longer_active(callback_answer)
            return
        if removed := await session.get(User, int(callback_data.value)):
            await refresh_menu(bot, i18n, session, settings.admin_ids, removed)
        callback_answer.text = _("Removed: the agency's proposals no longer go to them.")
        await _show_representatives(message, session, agency, locale)


async def _show_representatives(
    message: Message, session: AsyncSession, agency: Agency, locale: str
) -> None:
    people = await agencies.representative_users(session, agency.id)
    lines = [
        _("<b>Representatives of {agency}</b>: {count}").format(
            agency=escape(agency.name(locale), quote=False), count=len(people)
        )
    ]
    builder = InlineKeyboardBuilder()
    for person in people:
        name = person.full_name or str(person.telegram_id)
        lines.append(f"• {escape(name, quote=False)}")
        builder.button(
            text=_("Remove {name}").format(name=name[:40]),
            callback_data=Cb(action="unrep", id=agency.id, value=str(person.id)),
        )
    if not people:
        lines.append(_("None yet: make an invitation link under 🔗 Invitations."))
    builder.adjust(1)
    await message.answer("\n".join(lines), reply_markup=builder.as_markup())


async def _show_invitations(
    message: Message, session: AsyncSession, agency: Agency, locale: str, tz: ZoneInfo
) -> None:
    open_ones = await agencies.open_invitations(session, agency.id, utcnow())
    lines = [
        _("<b>Open invitations of {agency}</b>: {count}").format(
            agency=escape(agency.name(locale), quote=False), count=len(open_ones)
        )
    ]
    builder = InlineKeyboardBuilder()
    for invitation in open_ones:
        maker = await session.get(User, invitation.created_by) if invitation.created_by else None
        lines.append(
            _("#{id}: made by {name}, valid until {day}").format(
                id=invitation.id,
                name=escape((maker.full_name if maker else None) or "—", quote=False),
                day=format_day(invitation.expires_at, locale, tz),
            )
        )
        builder.button(
            text=_("Revoke #{id}").format(id=invitation.id),
            callback_data=Cb(action="revoke", id=agency.id, value=str(invitation.id)),
        )
    builder.button(text=_("➕ New link"), callback_data=Cb(action="invite", id=agency.id))
    builder.adjust(1)
    await message.answer("\n".join(lines), reply_markup=builder.as_markup())
