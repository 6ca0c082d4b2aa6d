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
from handlers.pressed import ButtonPress


@dataclass(frozen=True)
class Press(ButtonPress):
    session: AsyncSession
    user: User
    state: FSMContext
    tz: ZoneInfo


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
        press = Press(
            callback=callback,
            message=message,
            i18n=i18n,
            session=session,
            user=user,
            state=state,
            tz=tz,
        )
        return {"press": press}
