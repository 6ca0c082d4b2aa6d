"""Each kind of button has its own callback prefix: two CallbackData classes with the same
prefix parse each other's data, and the first router that matches takes the press."""

from aiogram.filters.callback_data import CallbackData

import handlers


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
