"""aiogram Routers, one module per journey. `all_routers()` lists them in matching order:
commands and specific journeys first, the fallback last."""

from aiogram import Router

from bot.filters import Role, restrict
from handlers import (
    agencies,
    agency_directory,
    agency_work,
    cancel,
    draft_organizers,
    drafts,
    events,
    fallback,
    help,
    home,
    menu,
    organizer,
    organizers,
    polls,
    profile,
    proposals,
    registration,
    start,
    surveys,
)
from handlers.participant import summaries as participant_summaries


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
        organizer.router(),  # organizers only (a router filter): events, moderation, ...
        proposals.router(),
        agency_work.router(),
        restrict(agency_directory.router(), Role.ORGANIZER),
        restrict(organizers.router(), Role.ADMINISTRATOR),
        participant_summaries.router(),
        polls.router(),  # polls (organizers) and poll answers (everyone)
        surveys.router(),  # the survey after an event
        menu.router(),
        fallback.router(),
    ]
