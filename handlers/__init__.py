"""aiogram Routers, one module per journey. `all_routers()` lists them in matching order:
commands and specific journeys first, the fallback last."""

from aiogram import Router

from handlers import (
    announcements,
    fallback,
    help,
    menu,
    organizers,
    profile,
    registration,
    start,
)


def all_routers() -> list[Router]:
    return [
        start.router(),
        help.router(),
        profile.router(),
        registration.router(),
        announcements.router(),
        organizers.router(),
        menu.router(),
        fallback.router(),
    ]
