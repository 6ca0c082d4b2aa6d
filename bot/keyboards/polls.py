"""Buttons of polls (the organizer's side) and of the survey after an event."""

from typing import TYPE_CHECKING

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

if TYPE_CHECKING:
    from bot.notices import Button


class PollCb(CallbackData, prefix="poll"):
    """Organizer: compose steps (kind, multiple, anonymous, audience, pick, send, cancel) and
    one poll's actions (open, chart, by, voters, close, share, refresh)."""

    action: str
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
