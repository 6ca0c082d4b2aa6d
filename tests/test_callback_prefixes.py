"""Each kind of button has its own callback prefix: two CallbackData classes with the same
prefix parse each other's data, and the first router that matches takes the press. A
router skips at once the presses none of its handlers can take."""

from collections.abc import Awaitable, Callable

from aiogram import Bot, Dispatcher, F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, Update

import handlers
from bot.filters import skip_routers_for_other_buttons
from tests.harness import TEST_TOKEN


def all_subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *all_subclasses(sub)]
    return found


def test_callback_prefixes_are_unique() -> None:
    handlers.all_routers()  # imports every handler module and its keyboards
    prefixes: dict[str, list[str]] = {}
    for cls in all_subclasses(CallbackData):
        prefixes.setdefault(cls.__prefix__, []).append(f"{cls.__module__}.{cls.__qualname__}")
    assert {p: names for p, names in prefixes.items() if len(names) > 1} == {}


class FirstCb(CallbackData, prefix="test_first"):
    n: int


class InnerCb(CallbackData, prefix="test_inner"):
    n: int


class LastCb(CallbackData, prefix="test_last"):
    pass


def press(bot: Bot, data: str) -> Update:
    person = {"id": 7, "is_bot": False, "first_name": "Айгүл"}
    return Update.model_validate(
        {
            "update_id": 1,
            "callback_query": {"id": "1", "from": person, "chat_instance": "7", "data": data},
        },
        context={"bot": bot},
    )


async def test_a_press_passes_by_routers_that_cannot_take_it() -> None:
    taken: list[str] = []
    role_checks: list[str] = []

    def handler(name: str) -> Callable[[CallbackQuery], Awaitable[None]]:
        async def take(_press: CallbackQuery) -> None:
            taken.append(name)

        return take

    async def role_filter(press: CallbackQuery) -> dict[str, CallbackQuery]:
        # Stands for a role asked of the database; like several of ours, it gives the
        # handlers under it what it found, here under a name a filter might have too.
        role_checks.append(press.data or "")
        return {"press": press}

    first, inner = Router(name="first"), Router(name="inner")
    first.callback_query.filter(role_filter)
    first.callback_query.register(handler("first"), FirstCb.filter())
    inner.callback_query.register(handler("inner"), InnerCb.filter())
    first.include_router(inner)
    loose = Router(name="loose")
    loose.callback_query.register(handler("loose"), F.data == "free")
    last = Router(name="last")
    last.callback_query.register(handler("last"), LastCb.filter())
    dispatcher = Dispatcher()
    dispatcher.include_routers(first, loose, last)
    skip_routers_for_other_buttons(dispatcher)

    bot = Bot(TEST_TOKEN)
    for data in (FirstCb(n=1).pack(), InnerCb(n=2).pack(), "free", LastCb().pack(), "other"):
        await dispatcher.feed_update(bot, press(bot, data))
    await bot.session.close()

    assert taken == ["first", "inner", "loose", "last"]
    # Only the presses for `first` and its sub-router reached its (role) filter.
    assert role_checks == ["test_first:1", "test_inner:2"]
