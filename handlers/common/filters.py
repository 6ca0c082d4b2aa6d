"""Filters every journey may use: a main-menu label in any language, and the message a button
was pressed under.

    r.callback_query.register(on_x, XCb.filter(F.action == XAction.x), WithMessage())

    async def on_x(callback: CallbackQuery, message: Message, ...) -> None:
        await message.answer(...)  # never None here

`WithMessage()` replaces `message = message_of(callback); if message is None: ...`: when
Telegram no longer gives the message (too old), the handler is not called and the press goes
on to the fallback router, which says "This button is no longer active". (A filter runs before
CallbackAnswerMiddleware, an inner middleware, so it cannot answer the press itself.)

`WithMessage(required=False)` supplies the message or None, for a handler that has work to do
even then (the choice of language). `MessageGone()` with `message_gone` lets a router answer
such a press itself, before a catch-all of its own (home).

Adopting it elsewhere: add `WithMessage()` to the handler's registration, take `message:
Message` in the handler and drop the `message_of` lines; keep `required=False` where the old
code did work before looking at the message."""

from typing import Any

from aiogram import F
from aiogram.filters import BaseFilter
from aiogram.types import CallbackQuery, InaccessibleMessage, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n

from bot.i18n import translations
from handlers.common.pieces import no_longer_active

# For the steps of a form that take typed text: a command typed there (/help, /language) is
# that command, never the answer; the step and its "please send text" catch-all let it pass.
NOT_A_COMMAND = ~F.text.startswith("/")


class MenuButton(BaseFilter):
    """Matches a main-menu label in any language (an old keyboard may be in the other one)."""

    def __init__(self, msgid: str) -> None:
        self.msgid = msgid

    async def __call__(self, message: Message, i18n: I18n) -> bool:
        return message.text is not None and message.text in translations(i18n, self.msgid)


class WithMessage(BaseFilter):
    """Passes the callback's message to the handler as `message`."""

    def __init__(self, *, required: bool = True) -> None:
        self.required = required

    async def __call__(self, callback: CallbackQuery) -> bool | dict[str, Any]:
        message = callback.message
        if message is None or isinstance(message, InaccessibleMessage):
            return False if self.required else {"message": None}
        return {"message": message}


class MessageGone(BaseFilter):
    """The press came from a message Telegram no longer gives (see `message_gone`)."""

    async def __call__(self, callback: CallbackQuery) -> bool:
        return callback.message is None or isinstance(callback.message, InaccessibleMessage)


async def message_gone(callback: CallbackQuery, callback_answer: CallbackAnswer) -> None:
    no_longer_active(callback_answer)
