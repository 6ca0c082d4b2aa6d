"""aiogram Routers, one module per journey. `all_routers()` lists them in matching order:
commands and specific journeys first, the fallback last."""

from aiogram import Router

from bot.filters import Role, restrict
from handlers import (
    agencies,
    agency_directory,
    agency_work,
    announcements,
    cancel,
    events,
    fallback,
    help,
    home,
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
    surveys,
)
from handlers.organizer import drafts as organizer_drafts
from handlers.organizer import polls as organizer_polls
from handlers.participant import drafts as participant_drafts
from handlers.participant import polls as participant_polls


def all_routers() -> list[Router]:
    return [
        events.router(),  # before start: it claims only /start ev_<id>
        agencies.router(),  # before start: it claims only /start ag_<token>
        cancel.router(),  # before every flow: /cancel stops any of them
        organizer_drafts.router(),  # organizers (and deciders): role filters; before drafts
        participant_drafts.router(),  # before start: it claims only /start dr_<id>
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
        organizer_polls.router(),  # polls: organizers only (restrict)
        participant_polls.router(),  # poll answers (everyone)
        surveys.router(),  # the survey after an event
        menu.router(),
        fallback.router(),
    ]
