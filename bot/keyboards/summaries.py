"""Buttons of summaries (the list, its filters, the pages of one summary, the organizer's
steps) and of the proposals export."""

from collections.abc import Sequence
from enum import StrEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.keyboards import pager as paging
from bot.keyboards.common import LANGUAGE_LABELS, Choice
from db.models import Event


class SummaryAction(StrEnum):
    LIST = "list"  # participants: the list, a page of it, filtered or not
    FILTER = "filter"
    OPEN = "open"
    PAGE = "page"
    WRITE = "write"  # organizers
    NEXT = "next"
    PUBLISH = "publish"
    DOC = "doc"
    DOC_LANG = "doc_lang"


class SummaryCb(CallbackData, prefix="sum"):
    action: str  # a SummaryAction
    id: int = 0
    page: int = 0
    value: str = ""


class StatsAction(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"


class StatsCb(CallbackData, prefix="stats"):
    action: str  # a StatsAction
    event_id: int = 0  # 0: every proposal; otherwise those sent to this event


def export_buttons() -> InlineKeyboardMarkup:
    """Every proposal with its status history, as Excel or CSV (/stats, the home screen)."""
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Proposals: Excel"), callback_data=StatsCb(action=StatsAction.XLSX))
    builder.button(text=_("Proposals: CSV"), callback_data=StatsCb(action=StatsAction.CSV))
    return builder.as_markup()


def summary_list(
    found: Sequence[Event], locale: str, page: int, more: bool, value: str
) -> InlineKeyboardMarkup:
    """Events with a summary, the pager (`more`: a later page exists) and the two filters."""
    builder = InlineKeyboardBuilder()
    for event in found:
        builder.button(
            text=f"📄 {event.title(locale)}"[:60],
            callback_data=SummaryCb(action=SummaryAction.OPEN, id=event.id),
        )
    paged = paging.add_pager(
        builder,
        SummaryCb(action=SummaryAction.LIST, page=page - 1, value=value) if page > 0 else None,
        SummaryCb(action=SummaryAction.LIST, page=page + 1, value=value) if more else None,
    )
    for kind, label in (("region", _("By region")), ("topic", _("By topic"))):
        builder.button(text=label, callback_data=SummaryCb(action=SummaryAction.FILTER, value=kind))
    builder.adjust(*([1] * len(found)), *([2] if paged else []), 2)
    return builder.as_markup()


def filter_choices(kind: str, choices: Sequence[Choice], locale: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for item in choices:
        builder.button(
            text=item.name(locale)[:60],
            callback_data=SummaryCb(action=SummaryAction.LIST, value=f"{kind}={item.code}"),
        )
    builder.button(text=_("Show all"), callback_data=SummaryCb(action=SummaryAction.LIST))
    builder.adjust(1)
    return builder.as_markup()


def pager(event_id: int, page: int, pages: int) -> InlineKeyboardMarkup | None:
    """The pager under one summary of `pages` pages (None if it has one)."""
    return paging.pager(
        SummaryCb(action=SummaryAction.PAGE, id=event_id, page=page - 1) if page > 0 else None,
        SummaryCb(action=SummaryAction.PAGE, id=event_id, page=page + 1)
        if page < pages - 1
        else None,
    )


def next_step() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Next ▶️"), callback_data=SummaryCb(action=SummaryAction.NEXT))
    return builder.as_markup()


def publish_button() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Publish"), callback_data=SummaryCb(action=SummaryAction.PUBLISH))
    return builder.as_markup()


def document_languages(event_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code, label in LANGUAGE_LABELS.items():
        builder.button(
            text=label,
            callback_data=SummaryCb(action=SummaryAction.DOC_LANG, id=event_id, value=code),
        )
    return builder.as_markup()
