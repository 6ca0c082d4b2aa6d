"""aiogram Routers, one module per journey. `all_routers()` lists them in matching order:
commands and specific journeys first, the fallback last."""

from aiogram import Router

from bot.filters import Role, restrict
from handlers import (
    agencies,
    agency_directory,
    agency_work,
    announcements,
    draft_organizers,
    drafts,
    events,
    moderation,
    organize,
    organizers,
    polls,
    proposals,
    stats,
    summaries,
    surveys,
)
from handlers.common import cancel, fallback, help, home, menu, start
from handlers.participant import profile, registration


def all_routers() -> list[Router]:
    return [
        events.router(),  # before start: it claims only /start ev_<id>
        agencies.router(),  # before start: it claims only /start ag_<token>
        cancel.router(),  # before every flow: /cancel stops any of them
        draft_organizers.router(),  # organizers only (a router filter); before drafts
        drafts.router(),  # before start: it claims only /start dr_<id>
        start.router(),
        help.router(),
        home.router(),
        profile.router(),
        registration.router(),
        restrict(organize.router(), Role.ORGANIZER),
        proposals.router(),
        restrict(moderation.router(), Role.ORGANIZER),
        agency_work.router(),
        restrict(agency_directory.router(), Role.ORGANIZER),
        restrict(announcements.router(), Role.ORGANIZER),
        restrict(organizers.router(), Role.ADMINISTRATOR),
        summaries.router(),
        restrict(stats.router(), Role.ORGANIZER),
        polls.router(),  # polls (organizers) and poll answers (everyone)
        surveys.router(),  # the survey after an event
        menu.router(),
        fallback.router(),
    ]
