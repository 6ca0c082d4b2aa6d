"""Organizers publish an event's summary from its card: the text in Kyrgyz and Russian
(several messages each; one language may stay empty), then a PDF or DOCX if there is one,
then publish: registrants and authors are told through the outbox. They also download the
outcome document (DOCX) in the language they choose."""

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
from bot.keyboards import common as common_kb
from bot.keyboards import summaries as kb
from bot.keyboards.summaries import SummaryAction, SummaryCb
from bot.services import summaries
from bot.services.errors import InvalidInput
from db.models import Event, User
from handlers.common import NOT_A_COMMAND, MenuButton, no_longer_active
from handlers.organizer.press import Press
from handlers.participant.summaries import on_summaries

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
    r.message.register(
        on_form_text,
        StateFilter(SummaryForm.text_ky, SummaryForm.text_ru),
        F.text,
        NOT_A_COMMAND,
    )
    r.message.register(on_form_file, SummaryForm.file, F.document)
    r.message.register(on_form_other, form, NOT_A_COMMAND)
    # SummaryCb is the participants' prefix too: these buttons sit on a router of their own,
    # under the organizers' one, and claim only their actions for the fallback.
    buttons = Router(name="organizer_summary_buttons")
    organizer = guard(Role.ORGANIZER, SummaryCb, {str(action) for action in ORGANIZER_ACTIONS})
    buttons.callback_query.register(
        on_next, SummaryCb.filter(F.action == SummaryAction.NEXT), organizer
    )
    buttons.callback_query.register(
        on_publish, SummaryCb.filter(F.action == SummaryAction.PUBLISH), organizer
    )
    for action, handler in (
        (SummaryAction.WRITE, on_write),
        (SummaryAction.DOC, on_doc),
        (SummaryAction.DOC_LANG, on_doc_lang),
    ):
        buttons.callback_query.register(
            handler, SummaryCb.filter(F.action == action), organizer, EventOf()
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


async def on_write(callback: CallbackQuery, press: Press, event: Event) -> None:
    await press.state.set_state(SummaryForm.text_ky)
    await press.state.set_data({"event_id": event.id})
    await press.message.answer(
        _("The summary of «{title}». /organize stops.").format(
            title=escape(event.title(press.locale), quote=False)
        )
    )
    await ask_text(press.message, press.state, "ky")


async def ask_text(message: Message, state: FSMContext, language: str) -> None:
    await state.set_state(SummaryForm.text_ky if language == "ky" else SummaryForm.text_ru)
    prompt = {
        "ky": _(
            "Send the summary in Kyrgyz: one message or several (each becomes a paragraph). "
            "Then press «Next». Nothing sent means no Kyrgyz text."
        ),
        "ru": _(
            "Now the summary in Russian, one message or several, then «Next». "
            "Nothing sent means no Russian text."
        ),
    }[language]
    await message.answer(prompt, reply_markup=kb.next_step())


async def on_form_text(message: Message, state: FSMContext) -> None:
    key = "text_ky" if await state.get_state() == SummaryForm.text_ky.state else "text_ru"
    data = await state.get_data()
    text = "\n\n".join(part for part in (data.get(key), message.text) if part)
    if len(text) > summaries.TEXT_MAX:
        await message.answer(
            _("The text is too long: {length} characters, at most {limit}.").format(
                length=len(text), limit=summaries.TEXT_MAX
            )
        )
        return
    await state.update_data({key: text})
    await message.answer(_("Added. Send more, or press «Next»."), reply_markup=kb.next_step())


async def on_next(callback: CallbackQuery, press: Press, callback_answer: CallbackAnswer) -> None:
    current = await press.state.get_state()
    if current not in (SummaryForm.text_ky.state, SummaryForm.text_ru.state):
        no_longer_active(callback_answer)
        return
    await press.drop_buttons()
    if current == SummaryForm.text_ky.state:
        await ask_text(press.message, press.state, "ru")
        return
    await press.state.set_state(SummaryForm.file)
    await press.message.answer(
        _("Attach a PDF or DOCX file if there is one, or press «Publish»."),
        reply_markup=kb.publish_button(),
    )


async def on_form_file(
    message: Message, state: FSMContext, session: AsyncSession, user: User
) -> None:
    document = message.document
    if document is None:
        await state.clear()
        return
    name = document.file_name or ""
    if not name.lower().endswith(FILE_SUFFIXES):
        await message.answer(_("Please send a PDF or DOCX file, or press «Publish»."))
        return
    await publish(message, state, session, user, file_id=document.file_id, file_name=name)


async def on_publish(
    callback: CallbackQuery, press: Press, callback_answer: CallbackAnswer
) -> None:
    if await press.state.get_state() != SummaryForm.file.state:
        no_longer_active(callback_answer)
        return
    await press.drop_buttons()
    await publish(press.message, press.state, press.session, press.user)


async def publish(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    *,
    file_id: str | None = None,
    file_name: str | None = None,
) -> None:
    data = await state.get_data()
    event = await session.get(Event, data.get("event_id", 0))
    if event is None:
        await state.clear()
        await message.answer(_("This event is not available. The events open now are in /events."))
        return
    try:
        told = await summaries.publish(
            session,
            event,
            author=user,
            text_ky=data.get("text_ky"),
            text_ru=data.get("text_ru"),
            file_id=file_id,
            file_name=file_name,
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
