"""aiogram Routers, one module per journey. `all_routers()` lists them in matching order:
commands and specific journeys first, the fallback last."""

from aiogram import Router

from handlers import (
    agencies,
    agency_directory,
    agency_work,
    announcements,
    events,
    fallback,
    help,
    menu,
    moderation,
    organize,
    organizers,
    polls,
    profile,
    proposals,
    registration,
    start,
    stats,
    summaries,
    surveys,
)


def all_routers() -> list[Router]:
    return [
        events.router(),  # before start: it claims only /start ev_<id>
        agencies.router(),  # before start: it claims only /start ag_<token>
        start.router(),
        help.router(),
        profile.router(),
        registration.router(),
        organize.router(),
        proposals.router(),
        moderation.router(),
        agency_work.router(),
        agency_directory.router(),
        announcements.router(),
        organizers.router(),
        summaries.router(),
        stats.router(),
        polls.router(),  # issue 19: polls (organizers) and poll answers
        surveys.router(),  # issue 19: the survey after an event
        menu.router(),
        fallback.router(),
    ]
