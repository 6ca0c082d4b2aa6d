"""Kept only for handlers/home.py, whose buttons open these two screens: the organizers'
figures (handlers/organizer/agencies.py) and a representative's items
(handlers/agency/items.py). Delete once home imports them from there."""

from zoneinfo import ZoneInfo

from aiogram.types import Message
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from db.models import User
from handlers.agency.items import on_items
from handlers.organizer import agencies as organizer_agencies

__all__ = ["on_agencies", "on_items"]


async def on_agencies(
    message: Message,
    user: User,
    session: AsyncSession,
    settings: Settings,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    await organizer_agencies.on_agencies(message, session, i18n, tz)
