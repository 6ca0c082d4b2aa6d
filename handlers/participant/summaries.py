"""Participants read summaries: /summaries (and the menu's button) lists the events with a
published summary, newest first, filtered by region or topic; a summary is read page by page,
with what became of the proposals and the person's own ones under it."""

from contextlib import suppress
from dataclasses import dataclass
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import BaseFilter, Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards import common as common_kb
from bot.keyboards import summaries as kb
from bot.keyboards.summaries import SummaryAction, SummaryCb
from bot.notices.proposals import status_name
from bot.services import summaries
from bot.text_split import shorten
from db.models import Event, EventSummary, User
from handlers.common import MenuButton, message_of, no_longer_active


def router() -> Router:
    r = Router(name="summaries")
    r.message.register(on_summaries, Command("summaries"))
    r.message.register(on_summaries, MenuButton(common_kb.MENU_SUMMARIES))
    for action, handler in (
        (SummaryAction.LIST, on_list),
        (SummaryAction.FILTER, on_filter),
        (SummaryAction.OPEN, on_open),
        (SummaryAction.PAGE, on_page),
    ):
        r.callback_query.register(handler, SummaryCb.filter(F.action == action), ReadingOf())
    return r


async def on_summaries(message: Message, session: AsyncSession, i18n: I18n) -> None:
    await show_list(message, session, i18n.current_locale, 0)


def parse_filter(value: str) -> tuple[str, str]:
    """ "region=batken" or "topic=water" (or nothing) -> (region, topic)."""
    kind, _sep, code = value.partition("=")
    return (code, "") if kind == "region" else ("", code) if kind == "topic" else ("", "")


async def show_list(
    message: Message, session: AsyncSession, locale: str, page: int, value: str = ""
) -> None:
    region, topic = parse_filter(value)
    found, total = await summaries.published(session, page, region=region, topic=topic)
    if not found:
        await message.answer(_("No summaries have been published yet."))
        return
    more = (page + 1) * summaries.LIST_SIZE < total
    await message.answer(
        _("Summaries of events, newest first:"),
        reply_markup=kb.summary_list(found, locale, page, more, value),
    )


@dataclass(frozen=True)
class Reading:
    """A press on a summaries button: the message it is under, the session, the language."""

    message: Message
    session: AsyncSession
    locale: str


class ReadingOf(BaseFilter):
    """Gives every summaries button `reading` (None if its message is no longer accessible:
    the handler then says the button is no longer active)."""

    async def __call__(
        self, callback: CallbackQuery, session: AsyncSession, i18n: I18n
    ) -> dict[str, Any]:
        message = message_of(callback)
        return {"reading": Reading(message, session, i18n.current_locale) if message else None}


async def on_list(
    callback: CallbackQuery,
    reading: Reading | None,
    callback_data: SummaryCb,
    callback_answer: CallbackAnswer,
) -> None:
    if reading is None:
        no_longer_active(callback_answer)
        return
    page, value = callback_data.page, callback_data.value
    await show_list(reading.message, reading.session, reading.locale, page, value)


async def on_filter(
    callback: CallbackQuery,
    reading: Reading | None,
    callback_data: SummaryCb,
    callback_answer: CallbackAnswer,
) -> None:
    kind = callback_data.value
    if reading is None or kind not in ("region", "topic"):
        no_longer_active(callback_answer)
        return
    regions, topics = await summaries.filter_choices(reading.session)
    choices = regions if kind == "region" else topics
    await reading.message.answer(
        _("By region") if kind == "region" else _("By topic"),
        reply_markup=kb.filter_choices(kind, choices, reading.locale),
    )


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


async def _summary(
    reading: Reading | None, callback_data: SummaryCb, callback_answer: CallbackAnswer
) -> tuple[Reading, Event, EventSummary] | None:
    """The event and the summary a button is about; None (said in an alert) if gone."""
    event = await reading.session.get(Event, callback_data.id) if reading else None
    summary = await reading.session.get(EventSummary, callback_data.id) if reading else None
    if reading is None or event is None or summary is None:
        no_longer_active(callback_answer)
        return None
    return reading, event, summary


async def on_open(
    callback: CallbackQuery,
    reading: Reading | None,
    callback_data: SummaryCb,
    user: User,
    callback_answer: CallbackAnswer,
) -> None:
    if not (found := await _summary(reading, callback_data, callback_answer)):
        return
    reading, event, _stored = found
    message, session, locale = reading.message, reading.session, reading.locale
    summary = await summaries.get(session, event.id)
    text, pages = page_text(event, summary, locale, 0)
    await message.answer(text, reply_markup=kb.pager(event.id, 0, pages))
    if summary.file_id:
        await message.answer_document(summary.file_id)
    outcome = await summaries.outcome(session, event.id, user)
    await message.answer(outcome_text(outcome))


async def on_page(
    callback: CallbackQuery,
    reading: Reading | None,
    callback_data: SummaryCb,
    callback_answer: CallbackAnswer,
) -> None:
    page = callback_data.page
    if not (found := await _summary(reading, callback_data, callback_answer)):
        return
    reading, event, summary = found
    text, pages = page_text(event, summary, reading.locale, page)
    # Pressed twice quickly: the page is already shown, Telegram refuses the same text.
    with suppress(TelegramBadRequest):
        await reading.message.edit_text(text, reply_markup=kb.pager(event.id, page, pages))
