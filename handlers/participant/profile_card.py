"""The profile card: what /profile shows, and what follows a saved edit of one field."""

from zoneinfo import ZoneInfo

from aiogram import html
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import format_day, zone_label
from bot.keyboards import common as kb
from bot.services import local_time
from db.models import Country, Region, StakeholderCategory, User


async def show_profile(
    message: Message, user: User, session: AsyncSession, locale: str, tz: ZoneInfo
) -> None:
    not_given = _("not given")
    region = await session.get(Region, user.region_code) if user.region_code else None
    residence = region.name(locale) if region else not_given
    if user.lives_abroad:
        country = await session.get(Country, user.country_code) if user.country_code else None
        residence = f"{residence}: {country.name(locale) if country else user.country_other or ''}"
    category = (
        await session.get(StakeholderCategory, user.category_code) if user.category_code else None
    )
    gender = {"female": _("woman"), "male": _("man")}.get(user.gender or "", not_given)
    lines = [
        _("<b>Your profile</b>"),
        "",
        _("Name: {value}").format(value=html.quote(user.full_name or not_given)),
        _("Place of residence: {value}").format(value=html.quote(residence)),
        _("Represents: {value}").format(value=category.name(locale) if category else not_given),
        _("Gender: {value}").format(value=gender),
        _("Organisation: {value}").format(value=html.quote(user.organisation or not_given)),
        _("Phone: {value}").format(value=html.quote(user.phone or not_given)),
        _("Announcements: {value}").format(
            value=_("on") if user.announcements_enabled else _("off")
        ),
    ]
    zone = local_time.zone_of(user) or str(tz)
    lines.append(_("Time zone: {value}").format(value=zone_label(zone, locale)))
    lines.append(_("Telegram id: {id}").format(id=user.telegram_id))
    if user.registered_at:
        lines.append(
            _("Registered on {date}").format(date=format_day(user.registered_at, locale, tz))
        )
    await message.answer(
        "\n".join(lines), reply_markup=kb.profile_actions(user.announcements_enabled)
    )
