"""A conversation: what every step of a wizard (handlers/wizard.py), and every handler of a
router that converses, needs: where to answer, the state, the session, the person, the locale
and the time zone."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import BaseMiddleware, Router
from aiogram.filters import BaseFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, TelegramObject
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import User


@dataclass
class Conversation:
    """What every step needs: where to answer, the state, the session, the person, the locale."""

    message: Message
    state: FSMContext
    session: AsyncSession
    user: User
    locale: str
    tz: ZoneInfo


Next = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def conversation_of(message: Message, data: dict[str, Any]) -> Conversation:
    """The conversation of a handler that got the whole data (`**data`)."""
    return Conversation(
        message,
        data["state"],
        data["session"],
        data["user"],
        data["i18n"].current_locale,
        data["tz"],
    )


class ConversationMiddleware(BaseMiddleware):
    """Gives a router's handlers `conv`: for a message, about it; for a button, about the
    message the button was under (supplied by the `WithMessage` filter)."""

    async def __call__(self, handler: Next, event: TelegramObject, data: dict[str, Any]) -> Any:
        message = event if isinstance(event, Message) else data.get("message")
        if isinstance(message, Message) and data.get("state") is not None:
            data["conv"] = conversation_of(message, data)
        return await handler(event, data)


class Conversing(BaseFilter):
    """Gives one handler `conv` (the message, or the message a button is under); a button
    whose message is no longer accessible does not pass."""

    async def __call__(self, update: TelegramObject, /, **data: Any) -> bool | dict[str, Any]:
        message = update.message if isinstance(update, CallbackQuery) else update
        if not isinstance(message, Message) or data.get("state") is None:
            return False
        return {"conv": conversation_of(message, data)}


def conversations(router: Router) -> Router:
    """Every handler of `router` may take `conv`."""
    router.message.middleware(ConversationMiddleware())
    router.callback_query.middleware(ConversationMiddleware())
    return router
