"""/profile (show and edit every field), announcements on/off, and /deleteme."""

from zoneinfo import ZoneInfo

from aiogram import F, Router, html
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import format_day, zone_label
from bot.keyboards import common as kb
from bot.keyboards.callbacks import DeleteMeCb, ProfileCb
from bot.services import local_time, users
from bot.services.errors import InvalidInput
from db.models import Country, Region, StakeholderCategory, User
from db.reference_data import TIME_ZONES
from handlers import registration
from handlers.common import drop_buttons, message_of, no_longer_active
from handlers.menu import MenuButton


def router() -> Router:
    r = Router(name="profile")
    r.message.register(on_profile, Command("profile"))
    r.message.register(on_profile, MenuButton(kb.MENU_PROFILE))
    r.message.register(on_deleteme, Command("deleteme"))
    r.callback_query.register(on_zones, ProfileCb.filter(F.action == "zones"))
    r.callback_query.register(on_zone, ProfileCb.filter(F.action == "zone"))
    r.callback_query.register(on_edit, ProfileCb.filter())
    r.callback_query.register(on_deleteme_answer, DeleteMeCb.filter())
    return r


async def on_profile(
    message: Message,
    user: User,
    session: AsyncSession,
    state: FSMContext,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    conv = registration.conversation(message, state, session, user, i18n, tz)
    if await registration.is_in_progress(state):
        await message.answer(_("Please finish the current step first."))
        await registration.resume(conv)
        return
    if not user.is_registered:
        await message.answer(
            _("You have not registered yet. Send /start to register."), reply_markup=kb.main_menu()
        )
        return
    await show_profile(message, user, session, i18n.current_locale, tz)


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


async def on_edit(
    callback: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: ProfileCb,
    user: User,
    session: AsyncSession,
    state: FSMContext,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    message = message_of(callback)
    if message is None:
        return
    if not user.is_registered or await registration.is_in_progress(state):
        no_longer_active(callback_answer)
        return
    action = callback_data.action
    if action == "edit" and callback_data.field in registration.FIELD_STEPS:
        await drop_buttons(callback)
        conv = registration.conversation(message, state, session, user, i18n, tz)
        await registration.begin_edit(conv, callback_data.field)
    elif action == "toggle_announcements":
        user.announcements_enabled = not user.announcements_enabled
        await drop_buttons(callback)
        await message.answer(
            _("Announcements are on.")
            if user.announcements_enabled
            else _(
                "Announcements are off. Answers to your proposals and reminders of your events "
                "will still reach you."
            )
        )
        await show_profile(message, user, session, i18n.current_locale, tz)
    elif action == "language":
        await message.answer(_("Choose your language."), reply_markup=kb.language_choice())
    elif action == "delete":
        await ask_deleteme(message)
    else:
        no_longer_active(callback_answer)


async def on_zones(
    callback: CallbackQuery, user: User, i18n: I18n, callback_answer: CallbackAnswer
) -> None:
    message = message_of(callback)
    if message is None or not user.is_registered:
        no_longer_active(callback_answer)
        return
    await message.answer(
        _("Event times are shown in Bishkek time and in yours. Where are you?"),
        reply_markup=kb.time_zones(
            [(zone, zone_label(zone, i18n.current_locale)) for zone in TIME_ZONES]
        ),
    )


async def on_zone(
    callback: CallbackQuery,
    callback_data: ProfileCb,
    user: User,
    session: AsyncSession,
    i18n: I18n,
    tz: ZoneInfo,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    if message is None or not user.is_registered:
        no_longer_active(callback_answer)
        return
    try:
        await local_time.set_zone(session, user, callback_data.field)
    except InvalidInput:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    await show_profile(message, user, session, i18n.current_locale, tz)


async def on_deleteme(message: Message) -> None:
    await ask_deleteme(message)


async def ask_deleteme(message: Message) -> None:
    await message.answer(
        _(
            "Delete your personal data? Your name, place of residence, category, gender, "
            "organisation and phone number will be erased. Proposals you sent stay, without "
            "your name. This cannot be undone."
        ),
        reply_markup=kb.deleteme_confirm(),
    )


async def on_deleteme_answer(
    callback: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: DeleteMeCb,
    user: User,
    session: AsyncSession,
    state: FSMContext,
) -> None:
    message = message_of(callback)
    await drop_buttons(callback)
    if message is None:
        return
    if not callback_data.confirm:
        await message.answer(_("Nothing was deleted."))
        return
    await users.erase_personal_data(session, user)
    await state.clear()
    await message.answer(
        _("Your personal data have been erased. If you want to take part again, send /start."),
        reply_markup=ReplyKeyboardRemove(),
    )
