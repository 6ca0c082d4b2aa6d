"""Polls in the hall, the organizer's side: composing a poll (compose.py), its audience and
preview (audience.py), sending or cancelling it (sending.py), following the results
(results.py), closing it and sharing the results (closing.py). Every command and button here
is for organizers: `restrict` sets the filter on each module's router and registers their
commands and buttons, so that the fallback tells anyone else they are for organizers (an
organizer's stale press falls through to it too: "no longer active")."""

from aiogram import Router

from bot.filters import Role, restrict
from handlers.organizer.polls import audience, closing, compose, results, sending


def router() -> Router:
    r = Router(name="organizer.polls")
    for part in (
        compose.router(),
        audience.router(),
        sending.router(),
        results.router(),
        closing.router(),
        sending.wrong_input_router(),
    ):
        r.include_router(restrict(part, Role.ORGANIZER))
    return r
