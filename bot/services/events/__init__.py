"""Events: organizers create and publish them; participants register, wait, cancel, attend.

Times are UTC in the database; organizers type them in the configured time zone. Messages
that are not replies (cancellation, promotion, reminders) go through the outbox in the same
transaction as the change.

The package by sub-domain (callers keep writing `events.x`, every public name is here):
- states: the statuses of events and registrations;
- form: the event form's rules, the draft and its checks;
- answers: the form as a conversation keeps it (steps, answers, the draft they make);
- organizing: saving, publishing and cancelling an event, the organizer's list;
- listing: browsing events, seats left, a person's registrations;
- registration: registering, giving up a seat, the waiting list moving up;
- checkin: the door code;
- notices: what the outbox messages about an event carry, the message to all registrants;
- reminders: the 24-hour and 1-hour reminders the scheduler queues;
- figures: the registrants and the figures of a report."""

from bot.services.events.answers import (
    SKIPPABLE,
    STEPS,
    answers_of,
    draft_from,
    next_step,
    parse_answer,
)
from bot.services.events.checkin import check_in, find_by_code
from bot.services.events.figures import EventStats, Registrant, registrants, stats
from bot.services.events.form import (
    CAPACITY_MAX,
    DATE_FORMAT,
    DATE_PATTERN,
    DESCRIPTION_MAX,
    EVENT_COLUMNS,
    FORMATS,
    TITLE_MAX,
    URL_MAX,
    VENUE_MAX,
    EventDraft,
    check_capacity,
    check_text,
    check_times,
    check_url,
    draft_of,
    format_local,
    parse_local,
    topic_codes,
    validate_draft,
)
from bot.services.events.listing import (
    PAGE_SIZE,
    event_registrant_ids,
    get_event,
    my_registrations,
    registered_count,
    registration_of,
    seats_left,
    upcoming,
    waiting_position,
)
from bot.services.events.notices import CALENDAR_ATTACHMENT, event_params, tell_registrants
from bot.services.events.organizing import cancel_event, organizer_events, publish, save_event
from bot.services.events.registration import (
    CODE_ALPHABET,
    CODE_LENGTH,
    cancel_registration,
    fill_free_seats,
    register,
)
from bot.services.events.reminders import REMINDERS, queue_due_reminders, reminders_due
from bot.services.events.states import (
    CANCELLED,
    DRAFT,
    EVENT_CANCELLED,
    PUBLISHED,
    REGISTERED,
    WAITING,
)
from db.models import Event  # the model, as callers wrote `events.Event` before the split

__all__ = [
    "CALENDAR_ATTACHMENT",
    "CANCELLED",
    "CAPACITY_MAX",
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "DATE_FORMAT",
    "DATE_PATTERN",
    "DESCRIPTION_MAX",
    "DRAFT",
    "EVENT_CANCELLED",
    "EVENT_COLUMNS",
    "FORMATS",
    "PAGE_SIZE",
    "PUBLISHED",
    "REGISTERED",
    "REMINDERS",
    "SKIPPABLE",
    "STEPS",
    "TITLE_MAX",
    "URL_MAX",
    "VENUE_MAX",
    "WAITING",
    "Event",
    "EventDraft",
    "EventStats",
    "Registrant",
    "answers_of",
    "cancel_event",
    "cancel_registration",
    "check_capacity",
    "check_in",
    "check_text",
    "check_times",
    "check_url",
    "draft_from",
    "draft_of",
    "event_params",
    "event_registrant_ids",
    "fill_free_seats",
    "find_by_code",
    "format_local",
    "get_event",
    "my_registrations",
    "next_step",
    "organizer_events",
    "parse_answer",
    "parse_local",
    "publish",
    "queue_due_reminders",
    "register",
    "registered_count",
    "registrants",
    "registration_of",
    "reminders_due",
    "save_event",
    "seats_left",
    "stats",
    "tell_registrants",
    "topic_codes",
    "upcoming",
    "validate_draft",
    "waiting_position",
]
