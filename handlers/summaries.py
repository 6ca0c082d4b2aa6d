"""Summaries. Participants: /summaries (and the menu's button) lists events with a published
summary, newest first; a summary is read page by page, with what became of the proposals and
the person's own ones under it. Organizers: from an event's card, write the summary in Kyrgyz
and Russian (several messages each; one language may stay empty) and/or attach a PDF or DOCX,
then publish: registrants and authors are told through the outbox. They also download the
outcome document (DOCX) in the language they choose.

The role is checked on every organizer button and message."""

from contextlib import suppress
from html import escape
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot import outcome_document
from bot.config import Settings
from bot.keyboards import common as common_kb
from bot.keyboards.summaries import SummaryCb, document_languages, next_step, pager
from bot.notices.proposals import status_name
from bot.services import summaries
from bot.services.errors import InvalidInput
from bot.services.users import can_organize
from bot.text_split import shorten
from db.models import Event, EventSummary, User
from handlers.common import drop_buttons, message_of, no_longer_active
from handlers.menu import MenuButton

FILE_SUFFIXES = (".pdf", ".docx")


class SummaryForm(StatesGroup):
    text_ky = State()
    text_ru = State()
    file = State()


def router() -> Router:
    r = Router(name="summaries")
    r.message.register(on_summaries, Command("summaries"))
    r.message.register(on_summaries, MenuButton(common_kb.MENU_SUMMARIES))
    r.message.register(on_cancel, StateFilter(*SummaryForm.__states__), Command("cancel"))
    r.message.register(
        on_form_text,
        StateFilter(SummaryForm.text_ky, SummaryForm.text_ru),
        F.text,
        ~F.text.startswith("/"),
    )
    r.message.register(on_form_file, SummaryForm.file, F.document)
    r.message.register(on_form_other, StateFilter(*SummaryForm.__states__))
    r.callback_query.register(on_button, SummaryCb.filter())
    return r


# --- participants ----------------------------------------------------------------------------


async def on_summaries(message: Message, session: AsyncSession, i18n: I18n) -> None:
    await show_list(message, session, i18n.current_locale, 0)


def parse_filter(value: str) -> tuple[str, str]:
    """ "region:batken" or "topic:water" (or nothing) -> (region, topic)."""
    kind, _sep, code = value.partition("=")
    return (code, "") if kind == "region" else ("", code) if kind == "topic" else ("", "")


async def show_filters(message: Message, session: AsyncSession, locale: str, kind: str) -> None:
    regions, topics = await summaries.filter_choices(session)
    choices = regions if kind == "region" else topics
    builder = InlineKeyboardBuilder()
    for item in choices:
        builder.button(
            text=item.name(locale)[:60],
            callback_data=SummaryCb(action="list", value=f"{kind}={item.code}"),
        )
    builder.button(text=_("Show all"), callback_data=SummaryCb(action="list"))
    builder.adjust(1)
    await message.answer(
        _("By region") if kind == "region" else _("By topic"), reply_markup=builder.as_markup()
    )


async def show_list(
    message: Message, session: AsyncSession, locale: str, page: int, value: str = ""
) -> None:
    region, topic = parse_filter(value)
    found, total = await summaries.published(session, page, region=region, topic=topic)
    if not found:
        await message.answer(_("No summaries have been published yet."))
        return
    builder = InlineKeyboardBuilder()
    for event in found:
        builder.button(
            text=f"📄 {event.title(locale)}"[:60],
            callback_data=SummaryCb(action="open", id=event.id),
        )
    more = []
    if page > 0:
        more.append(SummaryCb(action="list", page=page - 1, value=value))
    if (page + 1) * summaries.LIST_SIZE < total:
        more.append(SummaryCb(action="list", page=page + 1, value=value))
    for data in more:
        builder.button(
            text=_("◀️ Previous") if data.page < page else _("Next ▶️"), callback_data=data
        )
    builder.button(text=_("By region"), callback_data=SummaryCb(action="filter", value="region"))
    builder.button(text=_("By topic"), callback_data=SummaryCb(action="filter", value="topic"))
    builder.adjust(*([1] * len(found)), *([2] if more else []), 2)
    await message.answer(_("Summaries of events, newest first:"), reply_markup=builder.as_markup())


def page_text(event: Event, summary: EventSummary, locale: str, page: int) -> tuple[str, int]:
    pages = summaries.pages(summary, locale)
    header = f"📄 <b>{escape(event.title(locale), quote=False)}</b>"
    if not pages:
        return header, 0
    page = min(max(page, 0), len(pages) - 1)
    lines = [header, escape(pages[page], quote=False)]
    if len(pages) > 1:
        lines.append(_("Page {page} of {pages}").format(page=page + 1, pages=len(pages)))
    return "\n\n".join(lines), len(pages)


def outcome_text(outcome: summaries.Outcome) -> str:
    lines = [
        _("<b>What became of the proposals</b>"),
        _("Received: {count}").format(count=outcome.received),
        _("Forwarded to agencies: {count}").format(count=outcome.forwarded),
        _("Answered: {count}").format(count=outcome.answered),
        _("Accepted: {count}").format(count=outcome.accepted),
        _("Implemented: {count}").format(count=outcome.implemented),
    ]
    if outcome.mine:
        lines += ["", _("<b>Your proposals</b>")]
        for proposal in outcome.mine:
            short = shorten(proposal.text, 80)
            lines.append(
                f"#{proposal.id} {escape(short, quote=False)} — {status_name(proposal.status)}"
                f" /p{proposal.id}"
            )
    return "\n".join(lines)


async def open_summary(
    message: Message, session: AsyncSession, user: User, locale: str, event: Event
) -> None:
    summary = await summaries.get(session, event.id)
    text, pages = page_text(event, summary, locale, 0)
    await message.answer(text, reply_markup=pager(event.id, 0, pages))
    if summary.file_id:
        await message.answer_document(summary.file_id)
    outcome = await summaries.outcome(session, event.id, user)
    await message.answer(outcome_text(outcome))


# --- organizers ------------------------------------------------------------------------------


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
    await message.answer(prompt, reply_markup=next_step())


async def on_form_text(message: Message, state: FSMContext, user: User, settings: Settings) -> None:
    if not can_organize(settings.admin_ids, user):
        await state.clear()
        return
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
    await message.answer(_("Added. Send more, or press «Next»."), reply_markup=next_step())


async def on_form_file(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
) -> None:
    document = message.document
    if not can_organize(settings.admin_ids, user) or document is None:
        await state.clear()
        return
    name = document.file_name or ""
    if not name.lower().endswith(FILE_SUFFIXES):
        await message.answer(_("Please send a PDF or DOCX file, or press «Publish»."))
        return
    await publish(message, state, session, user, file_id=document.file_id, file_name=name)


async def on_cancel(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(_("Cancelled."))


async def on_form_other(message: Message) -> None:
    await message.answer(_("Please send text or a PDF or DOCX file, or use the buttons above."))


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


async def on_button(
    callback: CallbackQuery,
    callback_data: SummaryCb,
    session: AsyncSession,
    user: User,
    settings: Settings,
    state: FSMContext,
    i18n: I18n,
    tz: ZoneInfo,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    if message is None:
        no_longer_active(callback_answer)
        return
    locale, action = i18n.current_locale, callback_data.action
    if action == "list":
        await show_list(message, session, locale, callback_data.page, callback_data.value)
        return
    if action == "filter" and callback_data.value in ("region", "topic"):
        await show_filters(message, session, locale, callback_data.value)
        return
    if action in ("open", "page"):
        event = await session.get(Event, callback_data.id)
        summary = await session.get(EventSummary, callback_data.id)
        if event is None or summary is None:
            no_longer_active(callback_answer)
            return
        if action == "open":
            await open_summary(message, session, user, locale, event)
        else:
            text, pages = page_text(event, summary, locale, callback_data.page)
            # Pressed twice quickly: the page is already shown, Telegram refuses the same text.
            with suppress(TelegramBadRequest):
                await message.edit_text(
                    text, reply_markup=pager(event.id, callback_data.page, pages)
                )
        return
    # Everything below is for organizers only.
    if not can_organize(settings.admin_ids, user):
        no_longer_active(callback_answer)
        return
    if action == "next":
        current = await state.get_state()
        if current not in (SummaryForm.text_ky.state, SummaryForm.text_ru.state):
            no_longer_active(callback_answer)
            return
        await drop_buttons(callback)
        if current == SummaryForm.text_ky.state:
            await ask_text(message, state, "ru")
            return
        await state.set_state(SummaryForm.file)
        builder = InlineKeyboardBuilder()
        builder.button(text=_("Publish"), callback_data=SummaryCb(action="publish"))
        await message.answer(
            _("Attach a PDF or DOCX file if there is one, or press «Publish»."),
            reply_markup=builder.as_markup(),
        )
        return
    if action == "publish":
        if await state.get_state() != SummaryForm.file.state:
            no_longer_active(callback_answer)
            return
        await drop_buttons(callback)
        await publish(message, state, session, user)
        return
    event = await session.get(Event, callback_data.id)
    if event is None:
        no_longer_active(callback_answer)
        return
    if action == "write":
        await state.set_state(SummaryForm.text_ky)
        await state.set_data({"event_id": event.id})
        await message.answer(
            _("The summary of «{title}». /organize stops.").format(
                title=escape(event.title(locale), quote=False)
            )
        )
        await ask_text(message, state, "ky")
    elif action == "doc":
        await message.answer(
            _("In which language should the outcome document be?"),
            reply_markup=document_languages(event.id),
        )
    elif action == "doc_lang" and callback_data.value in common_kb.LANGUAGE_LABELS:
        language = callback_data.value
        with i18n.use_locale(language):
            data = await outcome_document.build(session, event, language, tz)
        await message.answer_document(
            BufferedInputFile(data, filename=f"event-{event.id}-outcome-{language}.docx"),
            caption=_(
                "The outcome document of «{title}». Edit it if you wish; you may attach it "
                "as the summary."
            ).format(title=escape(event.title(locale), quote=False)),
        )
    else:
        no_longer_active(callback_answer)
