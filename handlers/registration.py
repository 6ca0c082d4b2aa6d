"""Registration as a participant, step by step; the same steps edit one field of the profile.

The answers collect in the conversation state (kept in the database, so a restart does not
lose them) and are written to the profile in one go at the end."""

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import translations
from bot.keyboards import common as kb
from bot.keyboards.callbacks import PickCb, SkipCb
from bot.services import reference, users, validation
from bot.services.errors import InvalidInput
from db.models import User
from handlers.common import drop_buttons, explain, message_of, no_longer_active

OTHER_COUNTRY = "other"


class Registration(StatesGroup):
    full_name = State()
    residence = State()
    country = State()
    country_other = State()
    category = State()
    gender = State()
    organisation = State()
    phone = State()


@dataclass
class Conversation:
    """What every step needs: where to answer, the state, the session, the person, the locale."""

    message: Message
    state: FSMContext
    session: AsyncSession
    user: User
    locale: str
    tz: ZoneInfo


# Profile fields in the order registration asks them, and the first step of each.
FIELD_STEPS: dict[str, State] = {
    "full_name": Registration.full_name,
    "residence": Registration.residence,
    "category": Registration.category,
    "gender": Registration.gender,
    "organisation": Registration.organisation,
    "phone": Registration.phone,
}
ORDER = tuple(FIELD_STEPS)
TEXT_STEPS = (Registration.full_name, Registration.country_other, Registration.organisation)
BUTTON_STEPS = (
    Registration.residence,
    Registration.country,
    Registration.category,
    Registration.gender,
)
PICK_FIELDS = {
    Registration.residence.state: "residence",
    Registration.country.state: "country",
    Registration.category.state: "category",
    Registration.gender.state: "gender",
}
SKIP_FIELDS = {Registration.gender.state: "gender", Registration.organisation.state: "organisation"}


def router() -> Router:
    r = Router(name="registration")
    r.message.register(on_full_name, Registration.full_name, F.text)
    r.message.register(on_country_other, Registration.country_other, F.text)
    r.message.register(on_organisation, Registration.organisation, F.text)
    r.message.register(on_phone_contact, Registration.phone, F.contact)
    r.message.register(on_phone_text, Registration.phone, F.text)
    r.callback_query.register(on_pick, StateFilter(*BUTTON_STEPS), PickCb.filter())
    r.callback_query.register(on_skip, StateFilter(*Registration.__states__), SkipCb.filter())
    r.message.register(on_not_text, StateFilter(*TEXT_STEPS, Registration.phone))
    r.message.register(on_text_instead_of_button, StateFilter(*BUTTON_STEPS))
    return r


def conversation(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    tz: ZoneInfo,
) -> Conversation:
    return Conversation(message, state, session, user, i18n.current_locale, tz)


# --- entering and resuming -------------------------------------------------------------


async def begin(conv: Conversation) -> None:
    await conv.state.set_state(Registration.full_name)
    await conv.state.set_data({"mode": "register", "profile": {}})
    await ask(conv, Registration.full_name)


async def begin_edit(conv: Conversation, field: str) -> None:
    step = FIELD_STEPS[field]
    await conv.state.set_state(step)
    await conv.state.set_data({"mode": "edit", "field": field, "profile": {}})
    await ask(conv, step)


async def is_in_progress(state: FSMContext) -> bool:
    return await _current_step(state) is not None


async def resume(conv: Conversation) -> None:
    step = await _current_step(conv.state)
    if step is None:
        return
    await conv.message.answer(_("Let us continue where you stopped."))
    await ask(conv, step)


async def _current_step(state: FSMContext) -> State | None:
    current = await state.get_state()
    return next((s for s in Registration.__states__ if s.state == current), None)


async def ask(conv: Conversation, step: State) -> None:
    """Shows the question of a step with its buttons, in the current language."""
    answer, session, locale = conv.message.answer, conv.session, conv.locale
    if step == Registration.full_name:
        await answer(
            _("What is your full name? For example: Aigul Asanova."),
            reply_markup=ReplyKeyboardRemove(),
        )
    elif step == Registration.residence:
        regions = await reference.residence_regions(session)
        await answer(
            _("Where do you live? If you live abroad, choose «abroad»."),
            reply_markup=kb.pick("residence", list(regions), locale),
        )
    elif step == Registration.country:
        countries = await reference.countries(session)
        await answer(
            _("In which country do you live?"),
            reply_markup=kb.pick(
                "country", list(countries), locale, extra=[(OTHER_COUNTRY, _("Another country"))]
            ),
        )
    elif step == Registration.country_other:
        await answer(_("Please type the name of the country."))
    elif step == Registration.category:
        categories = await reference.categories(session)
        await answer(
            _("Whom do you represent?"),
            reply_markup=kb.pick("category", list(categories), locale, columns=1),
        )
    elif step == Registration.gender:
        await answer(
            _("Your gender? It is used only for participation figures. You may skip it."),
            reply_markup=kb.gender_choice(),
        )
    elif step == Registration.organisation:
        await answer(
            _("The name of your organisation, if any. Or press «Skip»."),
            reply_markup=kb.skip_only("organisation"),
        )
    elif step == Registration.phone:
        await answer(
            _(
                "Your phone number helps organizers reach you about an event. Share it with "
                "the button below, or press «Skip»."
            ),
            reply_markup=kb.share_phone(),
        )


# --- answers ---------------------------------------------------------------------------


async def on_full_name(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    try:
        name = validation.full_name(message.text or "")
    except InvalidInput as error:
        await message.answer(explain(error))
        return
    conv = conversation(message, state, session, user, i18n, tz)
    await _answered(conv, "full_name", {"full_name": name})


async def on_country_other(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    try:
        country = validation.country_name(message.text or "")
    except InvalidInput as error:
        await message.answer(explain(error))
        return
    conv = conversation(message, state, session, user, i18n, tz)
    answers = {"region_code": "abroad", "country_code": None, "country_other": country}
    await _answered(conv, "residence", answers)


async def on_organisation(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    try:
        organisation = validation.organisation(message.text or "")
    except InvalidInput as error:
        await message.answer(explain(error))
        return
    conv = conversation(message, state, session, user, i18n, tz)
    await _answered(conv, "organisation", {"organisation": organisation})


async def on_phone_contact(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    contact = message.contact
    if contact is None or message.from_user is None or contact.user_id != message.from_user.id:
        await message.answer(
            _("Please share your own number with the button below."),
            reply_markup=kb.share_phone(),
        )
        return
    try:
        phone = validation.phone_number(contact.phone_number)
    except InvalidInput as error:
        await message.answer(explain(error), reply_markup=kb.share_phone())
        return
    conv = conversation(message, state, session, user, i18n, tz)
    await _answered(conv, "phone", {"phone": phone})


async def on_phone_text(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    if message.text in translations(i18n, "Skip"):
        conv = conversation(message, state, session, user, i18n, tz)
        await _answered(conv, "phone", {"phone": None})
        return
    await message.answer(
        _("For your safety we accept only your own number, shared with the button below."),
        reply_markup=kb.share_phone(),
    )


async def on_pick(
    callback: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: PickCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    message = message_of(callback)
    field, value = callback_data.field, callback_data.value
    if message is None or PICK_FIELDS.get(await state.get_state() or "") != field:
        no_longer_active(callback_answer)
        return
    try:
        if field == "residence":
            await users.check_region(session, value, residence=True)
        elif field == "category":
            await users.check_category(session, value)
        elif field == "gender":
            users.check_gender(value)
        elif value != OTHER_COUNTRY:
            await users.check_country(session, value)
    except InvalidInput:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    conv = conversation(message, state, session, user, i18n, tz)

    if field == "residence" and value == "abroad":
        await _store(state, {"region_code": "abroad"})
        await _go(conv, Registration.country)
    elif field == "residence":
        answers = {"region_code": value, "country_code": None, "country_other": None}
        await _answered(conv, "residence", answers)
    elif field == "country" and value == OTHER_COUNTRY:
        await _go(conv, Registration.country_other)
    elif field == "country":
        answers = {"region_code": "abroad", "country_code": value, "country_other": None}
        await _answered(conv, "residence", answers)
    elif field == "category":
        await _answered(conv, "category", {"category_code": value})
    else:
        await _answered(conv, "gender", {"gender": value})


async def on_skip(
    callback: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: SkipCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    message = message_of(callback)
    if message is None or SKIP_FIELDS.get(await state.get_state() or "") != callback_data.field:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    conv = conversation(message, state, session, user, i18n, tz)
    await _answered(conv, callback_data.field, {callback_data.field: None})


async def on_not_text(message: Message) -> None:
    await message.answer(_("Please answer with a text message."))


async def on_text_instead_of_button(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    await message.answer(_("Please choose one of the buttons."))
    step = await _current_step(state)
    if step is not None:
        await ask(conversation(message, state, session, user, i18n, tz), step)


# --- moving on -------------------------------------------------------------------------


async def _answered(conv: Conversation, field: str, values: dict[str, Any]) -> None:
    data = await _store(conv.state, values)
    if data.get("mode") == "edit":
        await _save_edit(conv, field, data["profile"])
        return
    position = ORDER.index(field)
    if position + 1 < len(ORDER):
        await _go(conv, FIELD_STEPS[ORDER[position + 1]])
        return
    await _finish(conv, data["profile"])


async def _store(state: FSMContext, values: dict[str, Any]) -> dict[str, Any]:
    data = await state.get_data()
    data["profile"] = {**data.get("profile", {}), **values}
    await state.set_data(data)
    return data


async def _go(conv: Conversation, step: State) -> None:
    await conv.state.set_state(step)
    await ask(conv, step)


async def _finish(conv: Conversation, answers: dict[str, Any]) -> None:
    try:
        await users.complete_registration(conv.session, conv.user, users.Profile(**answers))
    except InvalidInput as error:
        await conv.message.answer(explain(error))
        return
    await conv.state.clear()
    await conv.message.answer(
        _(
            "You are registered. Thank you! You can register for events and submit proposals. "
            "Your profile is always under /profile."
        ),
        reply_markup=kb.main_menu(),
    )


async def _save_edit(conv: Conversation, field: str, answers: dict[str, Any]) -> None:
    from handlers.profile import show_profile  # the profile journey owns the profile card

    try:
        await users.update_field(conv.session, conv.user, field, answers)
    except InvalidInput as error:
        await conv.message.answer(explain(error))
        return
    await conv.state.clear()
    await conv.message.answer(_("Saved."), reply_markup=kb.main_menu())
    await show_profile(conv.message, conv.user, conv.session, conv.locale, conv.tz)
