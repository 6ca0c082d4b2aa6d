"""aiogram Routers, one module per journey. `all_routers()` lists them in matching order:
commands and specific journeys first, the fallback last."""

from aiogram import Router

from bot.filters import Role, restrict
from handlers import (
    admin,
    agency,
    announcements,
    moderation,
    organize,
    stats,
    summaries,
)
from handlers.common import cancel, fallback, help, home, menu, start
from handlers.organizer import agencies as organizer_agencies
from handlers.organizer import drafts as organizer_drafts
from handlers.organizer import polls as organizer_polls
from handlers.participant import drafts as participant_drafts
from handlers.participant import events, profile, proposals, registration, surveys
from handlers.participant import polls as participant_polls


def all_routers() -> list[Router]:
    return [
        events.router(),  # before start: it claims only /start ev_<id>
        agency.invitation_router(),  # before start: it claims only /start ag_<token>
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
        agency.router(),  # representatives (a router filter); the steps of a reply
        organizer_agencies.router(),  # organizers only (a router filter)
        restrict(announcements.router(), Role.ORGANIZER),
        admin.router(),  # administrators only (a router filter)
        summaries.router(),
        restrict(stats.router(), Role.ORGANIZER),
        organizer_polls.router(),  # polls: organizers only (restrict)
        participant_polls.router(),  # poll answers (everyone)
        surveys.router(),  # the survey after an event
        menu.router(),
        fallback.router(),
    ]
