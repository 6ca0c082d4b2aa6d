"""aiogram Routers, one package per kind of person: `common` (everyone), `participant`,
`organizer`, `agency` (representatives) and `admin`. `all_routers()` lists them in matching
order: commands and specific journeys first, the fallback last. Each package's router sets its
role filter once (bot/filters.py); docs/architecture.md tells where each journey lives."""

from aiogram import Router

from handlers import admin, agency, organizer
from handlers.common import cancel, fallback, help, home, menu, start
from handlers.organizer import agencies as organizer_agencies
from handlers.organizer import drafts as organizer_drafts
from handlers.organizer import polls as organizer_polls
from handlers.participant import drafts as participant_drafts
from handlers.participant import events, profile, proposals, registration, surveys
from handlers.participant import polls as participant_polls
from handlers.participant import summaries as participant_summaries


def all_routers() -> list[Router]:
    return [
        events.router(),  # before start: it claims only /start ev_<id>
        agency.invitation_router(),  # before start: it claims only /start ag_<token>
        cancel.router(),  # before every flow: /cancel stops any of them
        organizer_drafts.router(),  # organizers (and deciders): role filters; before drafts
        participant_drafts.router(),  # before start: it claims only /start dr_<id>
        proposals.link_router(),  # before start: it claims only /start p_<id>
        start.router(),
        help.router(),
        home.router(),
        profile.router(),
        registration.router(),
        proposals.router(),
        agency.router(),  # representatives (a router filter); the steps of a reply
        organizer_agencies.router(),  # organizers only (a router filter)
        # Organizers only (a router filter): events, moderation, announcements, summaries,
        # stats. After the participants' journeys, so that their commands and menu buttons
        # are not taken as the text of an organizer's form.
        organizer.router(),
        admin.router(),  # administrators only (a router filter)
        participant_summaries.router(),
        organizer_polls.router(),  # polls: organizers only (restrict)
        participant_polls.router(),  # poll answers (everyone)
        surveys.router(),  # the survey after an event
        menu.router(),
        fallback.router(),
    ]
