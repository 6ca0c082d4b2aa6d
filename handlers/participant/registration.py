"""Registration as a participant, step by step; the same steps edit one field of the profile.

The steps are a table (`STEPS`) run by the wizard engine (handlers/wizard.py). The answers
collect in the conversation state (kept in the database, so a restart does not lose them)
under "profile", and are written to the profile in one go at the end. The state strings
(`Registration:<step>`) and the data keys are those of every earlier version: a person half
way through goes on."""

from typing import Any

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_, translations
from bot.keyboards import common as kb
from bot.keyboards.callbacks import PickCb, SkipCb
from bot.services import reference, users, validation
from bot.services.errors import InvalidInput
from handlers.common import WithMessage, explain
from handlers.participant.profile_card import show_profile
from handlers.wizard import (
    Conversation,
    Input,
    Markup,
    Step,
    Wizard,
    checked,
    conversations,
    fixed,
    into,
)

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


def router() -> Router:
    r = conversations(Router(name="registration"))
    r.message.register(WIZARD.on_text, StateFilter(*WIZARD.states(Input.TEXT)), F.text)
    r.message.register(on_phone_contact, Registration.phone, F.contact)
    r.message.register(on_phone_text, Registration.phone, F.text)
    buttons = StateFilter(*WIZARD.states(Input.BUTTONS))
    r.callback_query.register(on_pick, buttons, PickCb.filter(), WithMessage())
    r.callback_query.register(
        on_skip, StateFilter(*Registration.__states__), SkipCb.filter(), WithMessage()
    )
    r.message.register(on_not_text, StateFilter(*WIZARD.states(Input.TEXT, Input.OWN)))
    r.message.register(on_text_instead_of_button, buttons)
    return r


# --- the table -------------------------------------------------------------------------


async def _residences(conv: Conversation) -> Markup:
    regions = await reference.residence_regions(conv.session)
    return kb.pick("residence", list(regions), conv.locale)


async def _countries(conv: Conversation) -> Markup:
    countries = await reference.countries(conv.session)
    other = [(OTHER_COUNTRY, _("Another country"))]
    return kb.pick("country", list(countries), conv.locale, extra=other)


async def _categories(conv: Conversation) -> Markup:
    categories = await reference.categories(conv.session)
    return kb.pick("category", list(categories), conv.locale, columns=1)


async def _region(session: AsyncSession, code: str) -> None:
    await users.check_region(session, code, residence=True)


async def _country(session: AsyncSession, code: str) -> None:
    if code != OTHER_COUNTRY:
        await users.check_country(session, code)


async def _gender(session: AsyncSession, value: str) -> None:
    users.check_gender(value)


ABROAD = {"region_code": "abroad"}
STEPS = (
    Step(
        Registration.full_name,
        "full_name",
        N_("What is your full name? For example: Aigul Asanova."),
        keyboard=fixed(ReplyKeyboardRemove),
        parse=into("full_name", validation.full_name),
    ),
    Step(
        Registration.residence,
        "residence",
        N_("Where do you live? If you live abroad, choose «abroad»."),
        Input.BUTTONS,
        _residences,
        checked("region_code", _region, country_code=None, country_other=None),
        button="residence",
        detours={"abroad": (Registration.country, ABROAD)},
    ),
    Step(
        Registration.country,
        "residence",
        N_("In which country do you live?"),
        Input.BUTTONS,
        _countries,
        checked("country_code", _country, **ABROAD, country_other=None),
        button="country",
        detours={OTHER_COUNTRY: (Registration.country_other, {})},
    ),
    Step(
        Registration.country_other,
        "residence",
        N_("Please type the name of the country."),
        parse=into("country_other", validation.country_name, **ABROAD, country_code=None),
    ),
    Step(
        Registration.category,
        "category",
        N_("Whom do you represent?"),
        Input.BUTTONS,
        _categories,
        checked("category_code", users.check_category),
        button="category",
    ),
    Step(
        Registration.gender,
        "gender",
        N_("Your gender? It is used only for participation figures. You may skip it."),
        Input.BUTTONS,
        fixed(kb.gender_choice),
        checked("gender", _gender),
        button="gender",
        skippable=True,
    ),
    Step(
        Registration.organisation,
        "organisation",
        N_("The name of your organisation, if any. Or press «Skip»."),
        keyboard=fixed(lambda: kb.skip_only("organisation")),
        parse=into("organisation", validation.organisation),
        skippable=True,
    ),
    Step(
        Registration.phone,
        "phone",
        N_(
            "Your phone number helps organizers reach you about an event. Share it with "
            "the button below, or press «Skip»."
        ),
        Input.OWN,
        fixed(kb.share_phone),
        into("phone", validation.phone_number),
        remind=True,
    ),
)


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
    try:
        await users.update_field(conv.session, conv.user, field, answers)
    except InvalidInput as error:
        await conv.message.answer(explain(error))
        return
    await conv.state.clear()
    await conv.message.answer(_("Saved."), reply_markup=kb.main_menu())
    await show_profile(conv.message, conv.user, conv.session, conv.locale, conv.tz)


WIZARD = Wizard(STEPS, _finish, _save_edit, explain, answers_key="profile")
FIELDS = WIZARD.fields  # the profile fields, in the order registration asks them


# --- entering and resuming (from /start and /profile) ----------------------------------


async def begin(conv: Conversation, *, lead: str = "") -> None:
    """The first question, opened by `lead` (translated) if given."""
    await WIZARD.begin(conv, lead=lead)


async def begin_edit(conv: Conversation, field: str) -> None:
    await WIZARD.begin_one(conv, field)


async def is_in_progress(state: FSMContext) -> bool:
    return await WIZARD.current(state) is not None


async def resume(conv: Conversation) -> None:
    step = await WIZARD.current(conv.state)
    if step is None:
        return
    await WIZARD.ask(conv, step, lead=_("Let us continue where you stopped."))


# --- answers a step table does not cover ------------------------------------------------


async def on_phone_contact(message: Message, conv: Conversation) -> None:
    contact = message.contact
    if contact is None or message.from_user is None or contact.user_id != message.from_user.id:
        await message.answer(
            _("Please share your own number with the button below."),
            reply_markup=kb.share_phone(),
        )
        return
    await WIZARD.take(conv, WIZARD.first_step("phone"), contact.phone_number)


async def on_phone_text(message: Message, conv: Conversation, i18n: I18n) -> None:
    if message.text in translations(i18n, "Skip"):
        await WIZARD.answered(conv, "phone", {"phone": None})
        return
    await message.answer(
        _("For your safety we accept only your own number, shared with the button below."),
        reply_markup=kb.share_phone(),
    )


async def on_pick(
    callback: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: PickCb,
    conv: Conversation,
) -> None:
    await WIZARD.choose(callback, callback_answer, conv, callback_data.field, callback_data.value)


async def on_skip(
    callback: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: SkipCb,
    conv: Conversation,
) -> None:
    await WIZARD.skip(callback, callback_answer, conv, callback_data.field)


async def on_not_text(message: Message) -> None:
    await message.answer(_("Please answer with a text message."))


async def on_text_instead_of_button(message: Message, conv: Conversation) -> None:
    await message.answer(_("Please choose one of the buttons."))
    step = await WIZARD.current(conv.state)
    if step is not None:
        await WIZARD.ask(conv, step)
