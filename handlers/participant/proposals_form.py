"""A participant writes a proposal: topic, region, text, an attachment, under their name or
anonymously, then sees similar published ones and a preview (submitting is in
proposals_submit.py). Also started from an event's card, tied to that event.

The steps are a table (`STEPS`) run by the wizard engine (handlers/wizard.py). The answers
are the conversation's data itself (`{"topic", "region", "text", "attachment_kind",
"attachment", "anonymous", "event_id"}`) and the state strings are `Propose:<step>`, as every
earlier version stored them: a person half way through goes on."""

from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.i18n import N_
from bot.keyboards import proposals as kb
from bot.keyboards.callbacks import ProposeCb, ProposeStep
from bot.services import proposals, reference
from bot.services.errors import InvalidInput
from bot.text_split import split_text
from db.models import Event, User
from handlers.common import drop_buttons, message_of, no_longer_active
from handlers.participant.proposals_card import send_card
from handlers.wizard import Conversation, Input, Markup, Step, Values, Wizard, fixed, into

__all__ = ["STEPS", "WIZARD", "Propose"]


class Propose(StatesGroup):
    topic = State()
    region = State()
    text = State()
    attachment = State()
    anonymity = State()
    preview = State()


# --- the table -----------------------------------------------------------------------------


async def _topics(conv: Conversation) -> Markup:
    topics = await reference.topics(conv.session)
    return kb.form_choice(ProposeStep.topic, topics, conv.locale, columns=1)


async def _regions(conv: Conversation) -> Markup:
    regions = await reference.all_regions(conv.session)
    return kb.form_choice(ProposeStep.region, regions, conv.locale, columns=2)


async def _anonymous(conv: Conversation, raw: str) -> Values:
    return {"anonymous": raw == "yes"}


STEPS = (
    Step(
        Propose.topic,
        "topic",
        N_("What is your proposal about? Choose a topic."),
        Input.BUTTONS,
        _topics,
        into("topic", str),
        button=ProposeStep.topic,
    ),
    Step(
        Propose.region,
        "region",
        N_("Which region does it concern? «Whole country» and «abroad» are there too."),
        Input.BUTTONS,
        _regions,
        into("region", str),
        button=ProposeStep.region,
    ),
    Step(
        Propose.text,
        "text",
        N_(
            "Write your proposal: what should be done, where, and why "
            "({minimum} to {maximum} characters)."
        ),
        parse=into("text", proposals.check_text),
        question_args={"minimum": proposals.TEXT_MIN, "maximum": proposals.TEXT_MAX},
    ),
    Step(
        Propose.attachment,
        "attachment",
        N_("You may add a photo or a document (for example a letter or a map), or press «Skip»."),
        Input.OWN,
        fixed(kb.skip_attachment),
    ),
    Step(
        Propose.anonymity,
        "anonymity",
        N_("Publish it under your name or anonymously? Organizers always see the author."),
        Input.BUTTONS,
        fixed(kb.anonymity),
        _anonymous,
        button=ProposeStep.anonymous,
    ),
)


def _explain(error: InvalidInput) -> str:
    if error.reason == "proposal_too_short":
        return _("Too short: {length} characters. Please write at least {minimum}.").format(
            **error.details
        )
    return _("Too long: {length} characters. Please keep within {maximum}.").format(**error.details)


async def _text_edited(conv: Conversation, field: str, answers: Values) -> None:
    """A new text typed after "Edit the text" (the form had reached the preview)."""
    await conv.state.set_state(Propose.preview)
    await conv.message.answer(_("The text is updated."))
    await show_preview_again(conv)


async def _show_preview(conv: Conversation, answers: Values) -> None:
    """After the last step: similar published proposals, then the preview."""
    hints = await proposals.similar(conv.session, answers["topic"], answers["text"])
    if hints:
        await conv.message.answer(
            _("Similar proposals are already published. You can support one of them instead:")
        )
        for hint in hints:
            markup = kb.support_instead(hint.id)
            await send_card(
                conv.message,
                conv.session,
                hint,
                conv.user,
                conv.locale,
                organizer=False,
                tz=conv.tz,
                markup=markup,
            )
    await conv.state.set_state(Propose.preview)
    await show_preview_again(conv)


def _reached_preview(data: Values) -> bool:
    return "anonymous" in data


WIZARD = Wizard(
    STEPS, _show_preview, _text_edited, _explain, answers_key=None, edits_one=_reached_preview
)


# --- starting ------------------------------------------------------------------------------


async def on_propose(message: Message, conv: Conversation, settings: Settings) -> None:
    await _begin(conv, settings, {})


async def on_event_proposal(
    callback: CallbackQuery,
    callback_data: ProposeCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    tz: ZoneInfo,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    """The event card's "A proposal to this event": the form starts, tied to the event."""
    message = message_of(callback)
    event = await session.get(Event, int(callback_data.value or 0))
    if message is None or event is None or event.status != "published":
        no_longer_active(callback_answer)
        return
    conv = Conversation(message, state, session, user, i18n.current_locale, tz)
    await _begin(conv, settings, {"event_id": event.id})


async def _begin(conv: Conversation, settings: Settings, start: dict[str, Any]) -> None:
    if not conv.user.is_registered:
        await conv.message.answer(_("To submit proposals, register first: send /start."))
        return
    limit = settings.proposals_per_day
    if await proposals.limit_reached(conv.session, conv.user, daily_limit=limit):
        await conv.message.answer(daily_limit_text(limit))
        return
    await WIZARD.begin(conv, start)


def daily_limit_text(limit: int) -> str:
    return ngettext(
        "You have sent {limit} proposal today, the most a day. Please try again tomorrow.",
        "You have sent {limit} proposals today, the most a day. Please try again tomorrow.",
        limit,
    ).format(limit=limit)


# --- answers a step table does not cover ---------------------------------------------------


async def on_choice(
    callback: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: ProposeCb,
    conv: Conversation,
) -> None:
    """A topic, a region or the anonymity: a button of the current step."""
    await WIZARD.choose(callback, callback_answer, conv, callback_data.step, callback_data.value)


async def on_attachment(message: Message, conv: Conversation) -> None:
    values: Values = {}
    if message.photo:
        values = {"attachment_kind": "photo", "attachment": message.photo[-1].file_id}
    elif message.document:
        values = {"attachment_kind": "document", "attachment": message.document.file_id}
    await WIZARD.answered(conv, "attachment", values)


async def on_attachment_text(message: Message, conv: Conversation, i18n: I18n) -> None:
    remind = N_("Please send a photo or a document, or press «Skip».")
    await WIZARD.skip_typed(message, conv, i18n, "attachment", remind)


async def on_skip_attachment(callback: CallbackQuery, conv: Conversation) -> None:
    await drop_buttons(callback)
    await WIZARD.answered(conv, "attachment", {})


async def on_not_text(message: Message, conv: Conversation) -> None:
    if await conv.state.get_state() == Propose.attachment.state:
        await message.answer(_("Please send a photo or a document, or press «Skip»."))
    else:
        await message.answer(_("Please write your proposal as text."))


async def on_buttons_expected(message: Message) -> None:
    await message.answer(_("Please choose one of the buttons."))


async def show_preview_again(conv: Conversation) -> None:
    data = await conv.state.get_data()
    who = _("anonymously") if data.get("anonymous") else _("under your name")
    await conv.message.answer(
        _("<b>Your proposal</b> (published {who} after moderation):").format(who=who)
    )
    for piece in split_text(data["text"]):
        await conv.message.answer(escape(piece, quote=False))
    await conv.message.answer(_("Submit it?"), reply_markup=kb.preview())
