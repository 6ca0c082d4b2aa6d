"""What the handlers of a participant's buttons work with: the pressed message, the session,
the person, their language and the time zone in one `Reader`, which the filter `Pressed`
supplies while the message can still be answered."""

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.filters import BaseFilter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import User
from handlers.common import message_of, no_longer_active


@dataclass
class Reader:
    """What a participant's button handler works with (the filter `Pressed` supplies it as
    `reader`): the message to answer, the session, the person, their language, the zone."""

    message: Message
    session: AsyncSession
    user: User
    locale: str
    tz: ZoneInfo


class Pressed(BaseFilter):
    """A press whose message can still be answered; a router sends the others to `on_stale`
    (nothing to do) or to `on_no_longer_active`."""

    async def __call__(
        self, callback: CallbackQuery, session: AsyncSession, user: User, i18n: I18n, tz: ZoneInfo
    ) -> bool | dict[str, Any]:
        message = message_of(callback)
        if message is None:
            return False
        return {"reader": Reader(message, session, user, i18n.current_locale, tz)}


async def on_stale(callback: CallbackQuery) -> None:
    """A button on a message that can no longer be answered: nothing to do."""


async def on_no_longer_active(callback: CallbackQuery, callback_answer: CallbackAnswer) -> None:
    no_longer_active(callback_answer)
