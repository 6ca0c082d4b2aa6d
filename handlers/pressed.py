"""Filters for buttons, shared by the drafts' and the polls' journeys: `Pressed()` lets a press
through only while the bot can still answer on its message, and hands the handler that
`message` (instead of a `message_of` guard in every body). A press it stops falls through to
the fallback, which says the button is no longer active."""

from typing import Any

from aiogram.filters import BaseFilter
from aiogram.types import CallbackQuery

from handlers.common import message_of


class Pressed(BaseFilter):
    async def __call__(self, callback: CallbackQuery) -> bool | dict[str, Any]:
        message = message_of(callback)
        return False if message is None else {"message": message}
