"""aiogram Routers, one module per journey. `all_routers()` lists them in matching order:
commands and specific journeys first, the fallback last."""

from aiogram import Router

from bot.filters import Role, restrict
from handlers import (
    admin,
    agency,
    announcements,
    draft_organizers,
    drafts,
    moderation,
    organize,
    polls,
    stats,
    summaries,
)
from handlers.common import cancel, fallback, help, home, menu, start
from handlers.organizer import agencies as organizer_agencies
from handlers.participant import events, profile, proposals, registration, surveys


def all_routers() -> list[Router]:
    return [
        events.router(),  # before start: it claims only /start ev_<id>
        agency.invitation_router(),  # before start: it claims only /start ag_<token>
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
        agency.router(),  # representatives (a router filter); the steps of a reply
        organizer_agencies.router(),  # organizers only (a router filter)
        restrict(announcements.router(), Role.ORGANIZER),
        admin.router(),  # administrators only (a router filter)
        summaries.router(),
        restrict(stats.router(), Role.ORGANIZER),
        polls.router(),  # polls (organizers) and poll answers (everyone)
        surveys.router(),  # the survey after an event
        menu.router(),
        fallback.router(),
    ]
