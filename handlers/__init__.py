"""aiogram Routers, one module per journey. `all_routers()` lists them in matching order:
commands and specific journeys first, the fallback last."""

from aiogram import Router

from handlers import (
    agencies,
    agency_directory,
    agency_work,
    announcements,
    draft_organizers,
    drafts,
    events,
    fallback,
    help,
    menu,
    moderation,
    organize,
    organizers,
    profile,
    proposals,
    registration,
    start,
    stats,
    summaries,
)


def all_routers() -> list[Router]:
    return [
        events.router(),  # before start: it claims only /start ev_<id>
        agencies.router(),  # before start: it claims only /start ag_<token>
        draft_organizers.router(),  # organizers only (a router filter); before drafts
        drafts.router(),  # before start: it claims only /start dr_<id>
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
        menu.router(),
        fallback.router(),
    ]
