"""Keyboards of the administrators' screens (OrganizerCb is in callbacks.py)."""

from collections.abc import Iterable

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.keyboards.callbacks import OrganizerCb
from db.models import User


def organizer_list(organizers: Iterable[User]) -> InlineKeyboardMarkup:
    """One «Revoke» button per organizer."""
    builder = InlineKeyboardBuilder()
    for organizer in organizers:
        builder.button(
            text=_("Revoke: {name}").format(name=organizer.full_name or organizer.telegram_id),
            callback_data=OrganizerCb(action="revoke", user_id=organizer.id),
        )
    builder.adjust(1)
    return builder.as_markup()
