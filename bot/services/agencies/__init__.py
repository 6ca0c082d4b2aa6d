"""Responsible agencies: directory, invitations, forwarding, answers and the follow-up sweeps.

Due dates are 09:00 local time on the due day. Reminder slots of one forwarding: the due date
minus `remind_before` days, the due date, then every `remind_every` days after it. Each open
forwarding keeps the time of its next slot in the indexed next_reminder_at; a sweep picks the
rows whose slot has come (in chunks), queues ONE message for the latest slot passed (so after
downtime there is one message per item, not one per missed slot) and moves next_reminder_at
to the first slot after now. Answered or returned rows have next_reminder_at NULL.

One module per sub-domain; every public name is re-exported here, so callers write
`from bot.services import agencies; agencies.forward(...)`:
    calendar     due dates, working days, holidays, reminder slots
    directory    agencies, topic routes, representatives
    invitations  one-time links that make a representative
    forwarding   proposals to agencies, one by one or an event's; open items
    answers      answer, not our competence, more days
    figures      the author's satisfaction; the agencies' figures
    queueing     how sweeps work in chunks, and how big a chunk is
    sweeps       reminders, escalations, satisfaction questions
    sweep_messages  a sweep's messages: one per item, or one list per agency and person
    digests      the weekly digest to organizers
"""

from bot.services.agencies.answers import (
    OUTCOMES,
    answer,
    extend,
    return_to_organizers,
)
from bot.services.agencies.calendar import (
    DEFAULT_SCHEDULE,
    DUE_HOUR,
    Schedule,
    add_days,
    add_holiday,
    due_after,
    holidays_between,
    next_slot_after,
    overdue_days,
    slot_name,
    upcoming_holidays,
)
from bot.services.agencies.digests import queue_weekly_digests
from bot.services.agencies.directory import (
    active_agencies,
    active_agency,
    add_agency,
    agency_by_code,
    default_agency,
    edit_agency,
    get_agency,
    is_representative,
    organizer_ids,
    remove_representative,
    representative_users,
    representatives,
    retire_agency,
    route_topic,
    set_route,
    topic_routes,
    unrouted,
)
from bot.services.agencies.figures import AgencyFigures, figures, record_satisfaction
from bot.services.agencies.forwarding import (
    EventForwardingPlan,
    current_forwarding,
    forward,
    forward_event,
    forward_to,
    forwardable_proposal,
    item_cards,
    item_params,
    open_items,
    plan_event_forwarding,
    representative_item,
    represented_open_item,
)
from bot.services.agencies.invitations import (
    accept_invitation,
    create_invitation,
    open_invitations,
    open_invitations_with_makers,
    revoke_invitation,
)
from bot.services.agencies.queueing import CHUNK, Between
from bot.services.agencies.sweeps import (
    followup_due,
    queue_due_reminders,
    queue_escalations,
    queue_satisfaction_questions,
)

__all__ = [
    "CHUNK",
    "DEFAULT_SCHEDULE",
    "DUE_HOUR",
    "OUTCOMES",
    "AgencyFigures",
    "Between",
    "EventForwardingPlan",
    "Schedule",
    "accept_invitation",
    "active_agencies",
    "active_agency",
    "add_agency",
    "add_days",
    "add_holiday",
    "agency_by_code",
    "answer",
    "create_invitation",
    "current_forwarding",
    "default_agency",
    "due_after",
    "edit_agency",
    "extend",
    "figures",
    "followup_due",
    "forward",
    "forward_event",
    "forward_to",
    "forwardable_proposal",
    "get_agency",
    "holidays_between",
    "is_representative",
    "item_cards",
    "item_params",
    "next_slot_after",
    "open_invitations",
    "open_invitations_with_makers",
    "open_items",
    "organizer_ids",
    "overdue_days",
    "plan_event_forwarding",
    "queue_due_reminders",
    "queue_escalations",
    "queue_satisfaction_questions",
    "queue_weekly_digests",
    "record_satisfaction",
    "remove_representative",
    "representative_item",
    "representative_users",
    "representatives",
    "represented_open_item",
    "retire_agency",
    "return_to_organizers",
    "revoke_invitation",
    "route_topic",
    "set_route",
    "slot_name",
    "topic_routes",
    "unrouted",
    "upcoming_holidays",
]
