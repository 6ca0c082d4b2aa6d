"""The one pager of the bot: «◀ Previous» and «Next ▶» under a list or a text read page by
page. The callers say what each button carries (a page number, the last id seen...)."""

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder


def add_pager(
    builder: InlineKeyboardBuilder, previous: CallbackData | None, following: CallbackData | None
) -> int:
    """Adds the buttons that lead somewhere to `builder`; returns how many it added."""
    added = 0
    if previous is not None:
        builder.button(text=_("◀ Previous"), callback_data=previous)
        added += 1
    if following is not None:
        builder.button(text=_("Next ▶"), callback_data=following)
        added += 1
    return added


def pager(
    previous: CallbackData | None, following: CallbackData | None
) -> InlineKeyboardMarkup | None:
    """The pager alone, or None on the only page."""
    builder = InlineKeyboardBuilder()
    return builder.as_markup() if add_pager(builder, previous, following) else None
