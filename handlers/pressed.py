"""Filters for buttons, shared by the drafts' and the polls' journeys: `Pressed()` lets a press
through only while the bot can still answer on its message, and hands the handler that
`message` and a `press` (the message, the button's data and the person's language together,
so that a handler's parameters stay few). A press it stops falls through to the fallback,
which says the button is no longer active."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar, cast

from aiogram import F, Router
from aiogram.dispatcher.event.handler import CallbackType
from aiogram.filters import BaseFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n

from handlers.common import drop_buttons, message_of

T = TypeVar("T", bound=CallbackData)
A = TypeVar("A", bound=StrEnum)


@dataclass(frozen=True)
class ButtonPress:
    """A button pressed under a message the bot can still answer on."""

    callback: CallbackQuery
    message: Message
    i18n: I18n

    @property
    def locale(self) -> str:
        return self.i18n.current_locale

    async def drop_buttons(self) -> None:
        """Removes the keyboard just used, so that it cannot be pressed twice."""
        await drop_buttons(self.callback)


@dataclass(frozen=True)
class Press(ButtonPress, Generic[T]):
    data: T


class Pressed(BaseFilter):
    """Put after the CallbackData filter, whose `callback_data` it carries on."""

    async def __call__(
        self, callback: CallbackQuery, i18n: I18n, callback_data: CallbackData | None = None
    ) -> bool | dict[str, Any]:
        message = message_of(callback)
        if message is None:
            return False
        data = cast(CallbackData, callback_data)
        press = Press(callback=callback, message=message, i18n=i18n, data=data)
        return {"message": message, "press": press}


def register_actions(
    router: Router,
    callback: type[CallbackData],
    handlers: Mapping[A, Any],  # action: its handler
    *filters: CallbackType,
) -> None:
    """One handler per action of `callback` (its `action` field), each behind `filters`."""
    for action, handler in handlers.items():
        router.callback_query.register(handler, callback.filter(F.action == action), *filters)
