"""Buttons of polls (the organizer's side) and of the survey after an event."""

from enum import StrEnum
from typing import TYPE_CHECKING

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.keyboards import audience

if TYPE_CHECKING:
    from bot.notices.registry import Button


class PollAction(StrEnum):
    kind = "kind"  # value: question or rank
    rank = "rank"  # id: the event whose proposals are ranked
    skip = "skip"  # no question in this language
    set = "set"  # value: single, multiple, anonymous, named
    audience = "audience"  # value: the kind of audience
    pick = "pick"  # value: "<kind>.<code or event id>"
    send = "send"
    cancel = "cancel"
    open = "open"
    chart = "chart"
    by = "by"  # value: a dimension (region, country, category, gender)
    voters = "voters"
    close = "close"
    share = "share"


class PollCb(CallbackData, prefix="poll"):
    """Organizer: compose steps (kind, rank, skip, set, audience, pick, send, cancel) and one
    poll's actions (open, chart, by, voters, close, share)."""

    action: str  # a PollAction
    id: int = 0
    value: str = ""


class SurveyCb(CallbackData, prefix="svy"):
    """A participant: rate 1-5, skip the rating, skip the open question."""

    action: str  # "rate", "skip", "skip_comment"
    event: int
    value: int = 0


def markup(rows: "list[list[Button]]") -> InlineKeyboardMarkup:
    """A notice's rows of buttons as an inline keyboard."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=b.text, callback_data=b.callback_data) for b in row]
            for row in rows
        ]
    )


# --- composing a poll -----------------------------------------------------------------------


def _with_cancel(builder: InlineKeyboardBuilder, *sizes: int) -> InlineKeyboardMarkup:
    builder.button(text=_("Cancel"), callback_data=PollCb(action=PollAction.cancel))
    builder.adjust(*sizes)
    return builder.as_markup()


def kind_choice() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("A question of my own"),
        callback_data=PollCb(action=PollAction.kind, value="question"),
    )
    builder.button(
        text=_("Rank an event's proposals"),
        callback_data=PollCb(action=PollAction.kind, value="rank"),
    )
    return _with_cancel(builder, 1)


def skip() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Skip"), callback_data=PollCb(action=PollAction.skip))
    return builder.as_markup()


def _event_list(items: list[tuple[str, PollCb]]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for label, data in items:
        builder.button(text=label[:60], callback_data=data)
    builder.adjust(1)
    return builder.as_markup()


def rank_events(events: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    return _event_list([(t, PollCb(action=PollAction.rank, id=i)) for i, t in events])


def audience_events(kind: str, events: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    """The events whose registrants (or people checked in) are the audience."""
    return _event_list(
        [(t, PollCb(action=PollAction.pick, value=f"{kind}.{i}")) for i, t in events]
    )


def _settings(first: tuple[str, str], second: tuple[str, str]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for label, value in (first, second):
        builder.button(text=label, callback_data=PollCb(action=PollAction.set, value=value))
    return _with_cancel(builder, 2, 1)


def how_many() -> InlineKeyboardMarkup:
    return _settings((_("One answer"), "single"), (_("Several answers"), "multiple"))


def anonymity() -> InlineKeyboardMarkup:
    return _settings((_("Anonymous"), "anonymous"), (_("With names"), "named"))


# The poll's own order: people checked in at the event first, as a poll is asked in the hall.
POLL_AUDIENCES = ("checked_in", "event", "all", "region", "abroad", "category", "language")


def audience_kinds() -> InlineKeyboardMarkup:
    return audience.audience_kinds(
        POLL_AUDIENCES,
        lambda kind: PollCb(action=PollAction.audience, value=kind),
        PollCb(action=PollAction.cancel),
    )


def audience_values(kind: str, options: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return audience.audience_values(
        kind, options, lambda value: PollCb(action=PollAction.pick, value=value)
    )


def send_or_cancel() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Send"), callback_data=PollCb(action=PollAction.send))
    builder.button(text=_("Cancel"), callback_data=PollCb(action=PollAction.cancel))
    return builder.as_markup()


def poll_list(items: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    """/polls: one button per poll, its label already marked open or closed."""
    builder = InlineKeyboardBuilder()
    for poll_id, label in items:
        builder.button(text=label[:60], callback_data=PollCb(action=PollAction.open, id=poll_id))
    builder.adjust(1)
    return builder.as_markup()
