"""Organizers publish an event's summary from its card: the text in Kyrgyz and Russian
(several messages each; one language may stay empty), then a PDF or DOCX if there is one,
then publish: registrants and authors are told through the outbox. They also download the
outcome document (DOCX) in the language they choose.

The form is a table of steps (`STEPS`) run by the wizard engine (handlers/wizard.py); its
answers are the conversation data itself (`event_id`, `text_ky`, `text_ru`), as before."""

from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.filters import BaseFilter, Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot import outcome_document
from bot.filters import Role, guard
from bot.i18n import N_
from bot.keyboards import common as common_kb
from bot.keyboards import summaries as kb
from bot.keyboards.summaries import SummaryAction, SummaryCb
from bot.services import summaries
from bot.services.errors import InvalidInput
from db.models import Event
from handlers.common import NOT_A_COMMAND, MenuButton, no_longer_active
from handlers.organizer.press import Press
from handlers.participant.summaries import on_summaries
from handlers.wizard import Conversation, Conversing, Input, Step, Values, Wizard, fixed

FILE_SUFFIXES = (".pdf", ".docx")
ORGANIZER_ACTIONS = (
    SummaryAction.WRITE,
    SummaryAction.NEXT,
    SummaryAction.PUBLISH,
    SummaryAction.DOC,
    SummaryAction.DOC_LANG,
)


class SummaryForm(StatesGroup):
    text_ky = State()
    text_ru = State()
    file = State()


def register(r: Router) -> None:
    form = StateFilter(*SummaryForm.__states__)
    # The list of summaries stays reachable in the middle of the form, as before the split.
    r.message.register(on_summaries, form, Command("summaries"))
    r.message.register(on_summaries, form, MenuButton(common_kb.MENU_SUMMARIES))
    r.message.register(on_cancel, form, Command("cancel"))
    texts = StateFilter(*WIZARD.states(Input.TEXT))
    r.message.register(WIZARD.on_text, texts, F.text, NOT_A_COMMAND, Conversing())
    r.message.register(on_form_file, SummaryForm.file, F.document, Conversing())
    r.message.register(on_form_other, form, NOT_A_COMMAND)
    # SummaryCb is the participants' prefix too: these buttons sit on a router of their own,
    # under the organizers' one, and claim only their actions for the fallback.
    buttons = Router(name="organizer_summary_buttons")
    organizer = guard(Role.ORGANIZER, SummaryCb, {str(action) for action in ORGANIZER_ACTIONS})
    for action, step_button in ((SummaryAction.NEXT, on_next), (SummaryAction.PUBLISH, on_publish)):
        buttons.callback_query.register(
            step_button, SummaryCb.filter(F.action == action), organizer, Conversing()
        )
    for action, handler in (
        (SummaryAction.WRITE, on_write),
        (SummaryAction.DOC, on_doc),
        (SummaryAction.DOC_LANG, on_doc_lang),
    ):
        buttons.callback_query.register(
            handler, SummaryCb.filter(F.action == action), organizer, EventOf(), Conversing()
        )
    r.include_router(buttons)


class EventOf(BaseFilter):
    """The event a button is about, as `event`; a gone one passes on to the fallback (which
    says the button is no longer active)."""

    async def __call__(
        self, callback: CallbackQuery, callback_data: SummaryCb, session: AsyncSession
    ) -> bool | dict[str, Any]:
        event = await session.get(Event, callback_data.id)
        return False if event is None else {"event": event}


# --- the table -------------------------------------------------------------------------


async def _text(conv: Conversation, raw: str) -> Values:
    """Each message adds a paragraph to the step's language."""
    key = "text_ky" if await conv.state.get_state() == SummaryForm.text_ky.state else "text_ru"
    data = await conv.state.get_data()
    text = "\n\n".join(part for part in (data.get(key), raw) if part)
    if len(text) > summaries.TEXT_MAX:
        raise InvalidInput("text_too_long", length=len(text), limit=summaries.TEXT_MAX)
    return {key: text}


async def _file(conv: Conversation, raw: str) -> Values:
    """`raw` is "<file id>:<file name>"."""
    file_id, _sep, name = raw.partition(":")
    if not name.lower().endswith(FILE_SUFFIXES):
        raise InvalidInput("file_kind")
    return {"file_id": file_id, "file_name": name}


def _explain(error: InvalidInput) -> str:
    if error.reason == "file_kind":
        return _("Please send a PDF or DOCX file, or press «Publish».")
    return _("The text is too long: {length} characters, at most {limit}.").format(**error.details)


async def _publish(conv: Conversation, data: Values) -> None:
    message, state, session = conv.message, conv.state, conv.session
    event = await session.get(Event, data.get("event_id", 0))
    if event is None:
        await state.clear()
        await message.answer(_("This event is not available. The events open now are in /events."))
        return
    try:
        told = await summaries.publish(
            session,
            event,
            author=conv.user,
            text_ky=data.get("text_ky"),
            text_ru=data.get("text_ru"),
            file_id=data.get("file_id"),
            file_name=data.get("file_name"),
        )
    except InvalidInput:
        await state.clear()
        await message.answer(
            _("The summary is empty: nothing was published. Start again from the event's card.")
        )
        return
    await state.clear()
    await message.answer(
        _(
            "The summary is published. People told: {count}. Everyone can read it in /summaries."
        ).format(count=told)
    )


def _text_step(state: State, field: str, question: str) -> Step:
    """A text step takes several messages (paragraphs), answering «Added» to each."""
    added = N_("Added. Send more, or press «Next».")
    return Step(state, field, question, keyboard=fixed(kb.next_step), parse=_text, stay=added)


STEPS = (
    _text_step(
        SummaryForm.text_ky,
        "text_ky",
        N_(
            "Send the summary in Kyrgyz: one message or several (each becomes a paragraph). "
            "Then press «Next». Nothing sent means no Kyrgyz text."
        ),
    ),
    _text_step(
        SummaryForm.text_ru,
        "text_ru",
        N_(
            "Now the summary in Russian, one message or several, then «Next». "
            "Nothing sent means no Russian text."
        ),
    ),
    Step(
        SummaryForm.file,
        "file",
        N_("Attach a PDF or DOCX file if there is one, or press «Publish»."),
        Input.OWN,
        keyboard=fixed(kb.publish_button),
        parse=_file,
    ),
)
WIZARD = Wizard.form(STEPS, _publish, _explain)


# --- the handlers, in the order a person meets them ------------------------------------


async def on_write(callback: CallbackQuery, press: Press, event: Event, conv: Conversation) -> None:
    await press.message.answer(
        _("The summary of «{title}». /organize stops.").format(
            title=escape(event.title(press.locale), quote=False)
        )
    )
    await WIZARD.begin(conv, {"event_id": event.id})


async def on_next(
    callback: CallbackQuery, press: Press, callback_answer: CallbackAnswer, conv: Conversation
) -> None:
    step = await WIZARD.current(conv.state)
    if step is None or step.input != Input.TEXT:
        no_longer_active(callback_answer)
        return
    await press.drop_buttons()
    await WIZARD.advance(conv, step.field)


async def on_form_file(message: Message, conv: Conversation) -> None:
    document = message.document
    if document is None:
        await conv.state.clear()
        return
    await WIZARD.take(
        conv, WIZARD.first_step("file"), f"{document.file_id}:{document.file_name or ''}"
    )


async def on_publish(
    callback: CallbackQuery, press: Press, callback_answer: CallbackAnswer, conv: Conversation
) -> None:
    if await conv.state.get_state() != SummaryForm.file.state:
        no_longer_active(callback_answer)
        return
    await press.drop_buttons()
    await WIZARD.answered(conv, "file", {})


async def on_cancel(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(_("Cancelled."))


async def on_form_other(message: Message) -> None:
    await message.answer(_("Please send text or a PDF or DOCX file, or use the buttons above."))


# --- the outcome document ----------------------------------------------------------------------


async def on_doc(callback: CallbackQuery, press: Press, event: Event) -> None:
    await press.message.answer(
        _("In which language should the outcome document be?"),
        reply_markup=kb.document_languages(event.id),
    )


async def on_doc_lang(
    callback: CallbackQuery,
    press: Press,
    callback_data: SummaryCb,
    event: Event,
    callback_answer: CallbackAnswer,
) -> None:
    language = callback_data.value
    if language not in common_kb.LANGUAGE_LABELS:
        no_longer_active(callback_answer)
        return
    with press.i18n.use_locale(language):
        data = await outcome_document.build(press.session, event, language, press.tz)
    await press.message.answer_document(
        BufferedInputFile(data, filename=f"event-{event.id}-outcome-{language}.docx"),
        caption=_(
            "The outcome document of «{title}». Edit it if you wish; you may attach it "
            "as the summary."
        ).format(title=escape(event.title(press.locale), quote=False)),
    )
