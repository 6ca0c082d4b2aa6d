"""Organizers route each topic's proposals to an agency (/routes, then a topic, then the
agency or nobody) and keep the public holidays that working days skip (/holidays, /holiday)."""

from datetime import date
from html import escape
from zoneinfo import ZoneInfo

from aiogram.filters import CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards import agencies as kb
from bot.keyboards.agencies import AgencyDirectoryCb
from bot.services import agencies, validation
from bot.services.errors import InvalidInput
from db.models import utcnow
from handlers.common import no_longer_active


async def on_routes(message: Message, session: AsyncSession, i18n: I18n) -> None:
    locale = i18n.current_locale
    lines = [_("<b>Which agency gets each topic's proposals.</b> Press a topic to change it.")]
    routes = await agencies.topic_routes(session)
    for topic, agency in routes:
        target = agency.short_name(locale) if agency else "—"
        lines.append(f"{escape(topic.name(locale), quote=False)} → {target}")
    topics = [topic for topic, _agency in routes]
    await message.answer("\n".join(lines), reply_markup=kb.topics(topics, locale))


async def on_topic(
    _callback: CallbackQuery,
    message: Message,
    callback_data: AgencyDirectoryCb,
    session: AsyncSession,
    i18n: I18n,
) -> None:
    options = await agencies.active_agencies(session)
    await message.answer(
        _("The agency for this topic:"),
        reply_markup=kb.route_choices(callback_data.value, options, i18n.current_locale),
    )


async def on_route(
    _callback: CallbackQuery,
    message: Message,
    callback_data: AgencyDirectoryCb,
    session: AsyncSession,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    locale = i18n.current_locale
    try:
        topic, agency = await agencies.route_topic(session, callback_data.value, callback_data.id)
    except InvalidInput:
        no_longer_active(callback_answer)
        return
    target = agency.short_name(locale) if agency else _("none: route by hand")
    await message.edit_text(
        f"{escape(topic.name(locale), quote=False)} → {escape(target, quote=False)}"
    )


async def on_holidays(message: Message, session: AsyncSession, i18n: I18n, tz: ZoneInfo) -> None:
    locale = i18n.current_locale
    lines = [_("<b>Public holidays in the next 12 months</b> (working days skip them):")]
    for holiday in await agencies.upcoming_holidays(session, utcnow().astimezone(tz).date()):
        name = holiday.name_ky if locale == "ky" else holiday.name_ru
        lines.append(f"{holiday.day:%d.%m.%Y} {escape(name or '', quote=False)}")
    lines.append(_("Add one (such as Orozo Ait): /holiday 20.03.2027 Орозо айт; Орозо айт"))
    await message.answer("\n".join(lines))


async def on_add_holiday(
    message: Message, command: CommandObject, session: AsyncSession, tz: ZoneInfo
) -> None:
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
