"""Kept only for handlers/home.py, whose buttons open these two screens: the organizers'
figures (handlers/organizer/agencies.py) and a representative's items
(handlers/agency/items.py). Delete once home imports them from there."""

from typing import Any

from aiogram.types import Message

from handlers.agency.items import on_items
from handlers.organizer import agencies as organizer_agencies

__all__ = ["on_agencies", "on_items"]


async def on_agencies(message: Message, *context: Any) -> None:
    """home.py passes (message, user, session, settings, i18n, tz)."""
    _user, session, _settings, i18n, tz = context
    await organizer_agencies.on_agencies(message, session, i18n, tz)
