"""What organizers do, one module per sub-task. `router()` is the index: every message and
button of these modules is for organizers, checked once here (bot.filters.restrict); a
participant's organizer command or button falls through to the fallback, which says that it
is for organizers.

    event_card      /organize, the list of events, one event's card and its actions
    checkin         /checkin: attendance by the code a person shows at the door
    event_form      a new event or a change, step by step (the steps: event_form_steps)
    registrants     the people registered for an event, Excel and CSV exports
    moderation      /moderate, /merge: the queue of proposals
    announcements   /announce: compose, choose the audience, send, stop
    summaries       publishing an event's summary; the outcome document (its buttons share
                    the participants' prefix: a sub-router claims only the organizers' actions)
    stats           /stats: charts, figures and the proposals export
    press           what every button handler gets: `press` (message, session, person...)

The order matters where a conversation takes any text: commands (/organize, /checkin) come
before the event form, and the modules keep the order their routers had before the package.
"""

from aiogram import Router

from bot.filters import Role, restrict
from handlers.organizer import (
    announcements,
    checkin,
    event_card,
    event_form,
    moderation,
    registrants,
    stats,
    summaries,
)
from handlers.organizer.press import Pressed


def router() -> Router:
    r = Router(name="organizer")
    r.callback_query.filter(Pressed())  # every button handler gets `press`
    for module in (
        event_card,
        checkin,
        event_form,
        registrants,
        moderation,
        announcements,
        summaries,
        stats,
    ):
        module.register(r)
    return restrict(r, Role.ORGANIZER)
