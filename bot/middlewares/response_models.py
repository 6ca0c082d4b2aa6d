"""Keeps the classes aiogram reads Telegram's answers with."""

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType


class KeepResponseModels(BaseRequestMiddleware):
    """aiogram reads each answer with `Response[the method's result]`, a class that pydantic
    caches only by a weak reference: once a garbage collection frees it, the next call builds
    it again, validator and all, while every update waits (measured in the bot under load:
    about 1 ms for `bool`, 100-270 ms for one holding a `Message`). The first one built for
    each Bot API method is held here for as long as the bot runs."""

    def __init__(self) -> None:
        self._held: dict[type, type] = {}

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        kind = type(method)
        if kind not in self._held:
            self._held[kind] = Response[method.__returning__]  # type: ignore[name-defined]
        return await make_request(bot, method)
