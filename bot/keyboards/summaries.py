"""Buttons of summaries (the list, the pages of one summary, the organizer's steps) and of
the proposals export."""

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.keyboards.common import LANGUAGE_LABELS


class SummaryCb(CallbackData, prefix="sum"):
    # list, open, page (participants); write, next, doc, doc_lang (organizers)
    action: str
    id: int = 0
    page: int = 0
    value: str = ""


class StatsCb(CallbackData, prefix="stats"):
    action: str  # "xlsx" or "csv"
    event_id: int = 0  # 0: every proposal; otherwise those sent to this event


def export_buttons() -> InlineKeyboardMarkup:
    """Every proposal with its status history, as Excel or CSV (/stats, the home screen)."""
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Proposals: Excel"), callback_data=StatsCb(action="xlsx"))
    builder.button(text=_("Proposals: CSV"), callback_data=StatsCb(action="csv"))
    return builder.as_markup()


def pager(event_id: int, page: int, pages: int) -> InlineKeyboardMarkup | None:
    if pages <= 1:
        return None
    builder = InlineKeyboardBuilder()
    if page > 0:
        builder.button(
            text=_("◀️ Previous"), callback_data=SummaryCb(action="page", id=event_id, page=page - 1)
        )
    if page < pages - 1:
        builder.button(
            text=_("Next ▶️"), callback_data=SummaryCb(action="page", id=event_id, page=page + 1)
        )
    return builder.as_markup()


def next_step() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Next ▶️"), callback_data=SummaryCb(action="next"))
    return builder.as_markup()


def document_languages(event_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code, label in LANGUAGE_LABELS.items():
        builder.button(
            text=label, callback_data=SummaryCb(action="doc_lang", id=event_id, value=code)
        )
    return builder.as_markup()
