"""Whom an announcement or a poll goes to: the kinds of audience, then the value of one kind
(a region, a category, a language, an event). The caller gives its own callback data."""

from collections.abc import Callable, Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import N_

AUDIENCE_LABELS = {
    "checked_in": N_("Checked in at an event"),
    "all": N_("Everyone registered"),
    "region": N_("By region"),
    "abroad": N_("Living abroad"),
    "category": N_("By category"),
    "language": N_("By language"),
    "event": N_("Registrants of an event"),
}


def audience_kinds(
    kinds: Sequence[str], pick: Callable[[str], CallbackData], cancel: CallbackData
) -> InlineKeyboardMarkup:
    """One button per kind in the order given (`pick(kind)` is its data), then «Cancel»."""
    builder = InlineKeyboardBuilder()
    for kind in kinds:
        builder.button(text=_(AUDIENCE_LABELS[kind]), callback_data=pick(kind))
    builder.button(text=_("Cancel"), callback_data=cancel)
    builder.adjust(1)
    return builder.as_markup()


def audience_values(
    kind: str, options: Sequence[tuple[str, str]], pick: Callable[[str], CallbackData]
) -> InlineKeyboardMarkup:
    """The values of one kind, `(code, label)`; `pick("region.batken")` is a button's data."""
    builder = InlineKeyboardBuilder()
    for code, label in options:
        builder.button(text=label, callback_data=pick(f"{kind}.{code}"))
    builder.adjust(1 if kind in ("category", "event") else 2)
    return builder.as_markup()
