"""A participant writes a proposal: topic, region, text, an attachment, under their name or
anonymously, then sees similar published ones and a preview (submitting is in
proposals_submit.py). Also started from an event's card, tied to that event."""

from dataclasses import dataclass
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.filters import BaseFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.i18n import translations
from bot.keyboards import proposals as kb
from bot.keyboards.callbacks import ProposeCb, ProposeStep
from bot.services import proposals, reference
from bot.services.errors import InvalidInput
from bot.text_split import split_text
from db.models import Event, User
from handlers.common import drop_buttons, message_of, no_longer_active
from handlers.participant.proposals_card import send_card


class Propose(StatesGroup):
    topic = State()
    region = State()
    text = State()
    attachment = State()
    anonymity = State()
    preview = State()


@dataclass
class Step:
    """What a button of the form works with (the filter `FormPressed` supplies it as `step`): the
    message to answer, the conversation, the session, the person and the button's value."""

    message: Message
    state: FSMContext
    session: AsyncSession
    user: User
    value: str


class FormPressed(BaseFilter):
    """A press of the form's button whose message can still be answered; any other press goes
    on to `on_no_longer_active`."""

    async def __call__(self, callback: CallbackQuery, **data: Any) -> bool | dict[str, Any]:
        message = message_of(callback)
        if message is None:
            return False
        value = data["callback_data"].value
        return {"step": Step(message, data["state"], data["session"], data["user"], value)}


# --- starting ------------------------------------------------------------------------------


async def on_propose(
    message: Message,
    user: User,
    state: FSMContext,
    session: AsyncSession,
    i18n: I18n,
    settings: Settings,
) -> None:
    await _begin(message, state, session, user, i18n, settings, {})


async def on_event_proposal(
    callback: CallbackQuery,
    callback_data: ProposeCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    """The event card's "A proposal to this event": the form starts, tied to the event."""
    message = message_of(callback)
    event = await session.get(Event, int(callback_data.value or 0))
    if message is None or event is None or event.status != "published":
        no_longer_active(callback_answer)
        return
    await _begin(message, state, session, user, i18n, settings, {"event_id": event.id})


async def _begin(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    settings: Settings,
    data: dict[str, int],
) -> None:
    if not user.is_registered:
        await message.answer(_("To submit proposals, register first: send /start."))
        return
    if await proposals.limit_reached(session, user, daily_limit=settings.proposals_per_day):
        await message.answer(daily_limit_text(settings.proposals_per_day))
        return
    await state.set_state(Propose.topic)
    await state.set_data(data)
    topics = await reference.topics(session)
    await message.answer(
        _("What is your proposal about? Choose a topic."),
        reply_markup=kb.form_choice(ProposeStep.topic, topics, i18n.current_locale, columns=1),
    )


def daily_limit_text(limit: int) -> str:
    return ngettext(
        "You have sent {limit} proposal today, the most a day. Please try again tomorrow.",
        "You have sent {limit} proposals today, the most a day. Please try again tomorrow.",
        limit,
    ).format(limit=limit)


# --- the steps -----------------------------------------------------------------------------


async def on_topic(callback: CallbackQuery, step: Step, i18n: I18n) -> None:
    await drop_buttons(callback)
    await step.state.update_data({"topic": step.value})
    await step.state.set_state(Propose.region)
    regions = await reference.all_regions(step.session)
    await step.message.answer(
        _("Which region does it concern? «Whole country» and «abroad» are there too."),
        reply_markup=kb.form_choice(ProposeStep.region, regions, i18n.current_locale, columns=2),
    )


async def on_region(callback: CallbackQuery, step: Step) -> None:
    await drop_buttons(callback)
    await step.state.update_data({"region": step.value})
    await step.state.set_state(Propose.text)
    await step.message.answer(
        _(
            "Write your proposal: what should be done, where, and why "
            "({minimum} to {maximum} characters)."
        ).format(minimum=proposals.TEXT_MIN, maximum=proposals.TEXT_MAX)
    )


async def on_text(message: Message, state: FSMContext) -> None:
    try:
        text = proposals.check_text(message.text or "")
    except InvalidInput as error:
        if error.reason == "proposal_too_short":
            await message.answer(
                _("Too short: {length} characters. Please write at least {minimum}.").format(
                    **error.details
                )
            )
        else:
            await message.answer(
                _("Too long: {length} characters. Please keep within {maximum}.").format(
                    **error.details
                )
            )
        return
    data = await state.update_data({"text": text})
    if "anonymous" in data:  # editing the text from the preview
        await state.set_state(Propose.preview)
        await message.answer(_("The text is updated."))
        await show_preview_again(message, state)
        return
    await state.set_state(Propose.attachment)
    await message.answer(
        _("You may add a photo or a document (for example a letter or a map), or press «Skip»."),
        reply_markup=kb.skip_attachment(),
    )


async def on_attachment(message: Message, state: FSMContext) -> None:
    if message.photo:
        await state.update_data(
            {"attachment_kind": "photo", "attachment": message.photo[-1].file_id}
        )
    elif message.document:
        await state.update_data(
            {"attachment_kind": "document", "attachment": message.document.file_id}
        )
    await _ask_anonymity(message, state)


async def on_attachment_text(message: Message, state: FSMContext, i18n: I18n) -> None:
    if message.text in translations(i18n, "Skip"):
        await _ask_anonymity(message, state)
        return
    await message.answer(_("Please send a photo or a document, or press «Skip»."))


async def on_skip_attachment(callback: CallbackQuery, step: Step) -> None:
    await drop_buttons(callback)
    await _ask_anonymity(step.message, step.state)


async def _ask_anonymity(message: Message, state: FSMContext) -> None:
    await state.set_state(Propose.anonymity)
    await message.answer(
        _("Publish it under your name or anonymously? Organizers always see the author."),
        reply_markup=kb.anonymity(),
    )


async def on_anonymity(callback: CallbackQuery, step: Step, i18n: I18n, tz: ZoneInfo) -> None:
    await drop_buttons(callback)
    await step.state.update_data({"anonymous": step.value == "yes"})
    await _show_preview(step, i18n.current_locale, tz)


async def on_not_text(message: Message, state: FSMContext) -> None:
    if await state.get_state() == Propose.attachment.state:
        await message.answer(_("Please send a photo or a document, or press «Skip»."))
    else:
        await message.answer(_("Please write your proposal as text."))


async def on_buttons_expected(message: Message) -> None:
    await message.answer(_("Please choose one of the buttons."))


# --- similar ones and the preview ----------------------------------------------------------


async def _show_preview(step: Step, locale: str, tz: ZoneInfo) -> None:
    data = await step.state.get_data()
    hints = await proposals.similar(step.session, data["topic"], data["text"])
    if hints:
        await step.message.answer(
            _("Similar proposals are already published. You can support one of them instead:")
        )
        for hint in hints:
            markup = kb.support_instead(hint.id)
            await send_card(
                step.message,
                step.session,
                hint,
                step.user,
                locale,
                organizer=False,
                tz=tz,
                markup=markup,
            )
    await step.state.set_state(Propose.preview)
    await show_preview_again(step.message, step.state)


async def show_preview_again(message: Message, state: FSMContext) -> None:
    data = await state.get_data()
    who = _("anonymously") if data.get("anonymous") else _("under your name")
    await message.answer(
        _("<b>Your proposal</b> (published {who} after moderation):").format(who=who)
    )
    for piece in split_text(data["text"]):
        await message.answer(escape(piece, quote=False))
    await message.answer(_("Submit it?"), reply_markup=kb.preview())
