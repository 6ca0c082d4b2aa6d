"""Polls in the hall, the organizer's side: composing a poll (compose.py), its audience and
preview (audience.py), sending or cancelling it (sending.py), following the results
(results.py), closing it and sharing the results (closing.py). Every command and button here
is for organizers: one `restrict` sets the filter on this router, which aiogram checks before
the modules' routers, and registers their commands and buttons, so that the fallback tells
anyone else they are for organizers (an organizer's stale press falls through to it too: "no
longer active")."""

from aiogram import Router

from bot.filters import Role, restrict
from handlers.organizer.polls import audience, closing, compose, results, sending


def router() -> Router:
    r = Router(name="organizer.polls")
    r.include_routers(
        compose.router(),
        audience.router(),
        sending.router(),
        results.router(),
        closing.router(),
        sending.wrong_input_router(),
    )
    return restrict(r, Role.ORGANIZER)
