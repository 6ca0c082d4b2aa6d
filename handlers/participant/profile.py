"""A registered participant's profile: /profile (or the menu's button) shows the card
(handlers/participant/profile_card.py); its buttons edit one field (through the registration
steps), switch announcements, choose the language or the time zone, and erase the personal
data (also /deleteme)."""

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards import common as kb
from bot.keyboards.callbacks import DeleteMeCb, ProfileCb
from bot.keyboards.common import ProfileAction
from bot.services import local_time, users
from bot.services.errors import InvalidInput
from db.models import User
from handlers.common import MenuButton, WithMessage, drop_buttons, no_longer_active
from handlers.participant import registration
from handlers.participant.profile_card import show_profile
from handlers.wizard import Conversation, conversations


async def registered(event: object, user: User) -> bool:
    return user.is_registered


async def idle(event: object, user: User, state: FSMContext) -> bool:
    """Registered and not half-way through registration or an edit."""
    return user.is_registered and not await registration.is_in_progress(state)


def router() -> Router:
    r = conversations(Router(name="profile"))
    r.message.register(on_profile, Command("profile"))
    r.message.register(on_profile, MenuButton(kb.MENU_PROFILE))
    r.message.register(on_deleteme, Command("deleteme"))
    for action, handler, ready in (
        (ProfileAction.ZONES, on_zones, registered),
        (ProfileAction.ZONE, on_zone, registered),
        (ProfileAction.EDIT, on_edit, idle),
        (ProfileAction.TOGGLE_ANNOUNCEMENTS, on_toggle_announcements, idle),
        (ProfileAction.LANGUAGE, on_language, idle),
        (ProfileAction.DELETE, on_delete, idle),
    ):
        r.callback_query.register(
            handler, ProfileCb.filter(F.action == action), WithMessage(), ready
        )
    r.callback_query.register(on_deleteme_answer, DeleteMeCb.filter(), WithMessage())
    return r


async def on_profile(message: Message, conv: Conversation) -> None:
    if await registration.is_in_progress(conv.state):
        await message.answer(_("Please finish the current step first."))
        await registration.resume(conv)
        return
    if not conv.user.is_registered:
        await message.answer(
            _("You have not registered yet. Send /start to register."), reply_markup=kb.main_menu()
        )
        return
    await show_profile(message, conv.user, conv.session, conv.locale, conv.tz)


# --- the card's buttons ----------------------------------------------------------------


async def on_edit(
    callback: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: ProfileCb,
    conv: Conversation,
) -> None:
    if callback_data.field not in registration.FIELDS:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    await registration.begin_edit(conv, callback_data.field)


async def on_toggle_announcements(callback: CallbackQuery, conv: Conversation) -> None:
    enabled = await users.toggle_announcements(conv.session, conv.user)
    await drop_buttons(callback)
    await conv.message.answer(
        _("Announcements are on.")
        if enabled
        else _(
            "Announcements are off. Answers to your proposals and reminders of your events "
            "will still reach you."
        )
    )
    await show_profile(conv.message, conv.user, conv.session, conv.locale, conv.tz)


async def on_language(callback: CallbackQuery, message: Message) -> None:
    await message.answer(_("Choose your language."), reply_markup=kb.language_choice())


async def on_zones(callback: CallbackQuery, message: Message, i18n: I18n) -> None:
    await message.answer(
        _("Event times are shown in Bishkek time and in yours. Where are you?"),
        reply_markup=kb.time_zone_choice(i18n.current_locale),
    )


async def on_zone(
    callback: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: ProfileCb,
    conv: Conversation,
) -> None:
    try:
        await local_time.set_zone(conv.session, conv.user, callback_data.field)
    except InvalidInput:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    await show_profile(conv.message, conv.user, conv.session, conv.locale, conv.tz)


# --- erasure ---------------------------------------------------------------------------


async def on_delete(callback: CallbackQuery, message: Message) -> None:
    await ask_deleteme(message)


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
    callback_data: DeleteMeCb,
    message: Message,
    user: User,
    session: AsyncSession,
    state: FSMContext,
) -> None:
    await drop_buttons(callback)
    if not callback_data.confirm:
        await message.answer(_("Nothing was deleted."))
        return
    await users.erase_personal_data(session, user)
    await state.clear()
    await message.answer(
        _("Your personal data have been erased. If you want to take part again, send /start."),
        reply_markup=ReplyKeyboardRemove(),
    )
