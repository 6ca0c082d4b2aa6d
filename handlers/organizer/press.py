"""What an organizer's button press carries, made once for every handler of the package: a
root filter of the organizer router builds `press` (the message the button is under, the
session, the person, their conversation, language and time zone). A press whose message is
no longer accessible passes on to the fallback, which says the button is no longer active."""

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.filters import BaseFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import User
from handlers.common import drop_buttons


@dataclass(frozen=True)
class Press:
    callback: CallbackQuery
    message: Message
    session: AsyncSession
    user: User
    state: FSMContext
    i18n: I18n
    tz: ZoneInfo

    @property
    def locale(self) -> str:
        return self.i18n.current_locale

    async def drop_buttons(self) -> None:
        """Removes the keyboard just used, so that it cannot be pressed twice."""
        await drop_buttons(self.callback)


class Pressed(BaseFilter):
    async def __call__(
        self,
        callback: CallbackQuery,
        session: AsyncSession,
        user: User,
        state: FSMContext,
        i18n: I18n,
        tz: ZoneInfo,
    ) -> bool | dict[str, Any]:
        message = callback.message
        if not isinstance(message, Message):
            return False
        return {"press": Press(callback, message, session, user, state, i18n, tz)}
