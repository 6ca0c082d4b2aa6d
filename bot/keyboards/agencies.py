"""Callback data of the agency journeys (ids only)."""

from aiogram.filters.callback_data import CallbackData


class SatisfactionCb(CallbackData, prefix="agsat"):
    answer_id: int
    satisfied: bool


class AgencyWorkCb(CallbackData, prefix="agw"):
    """Organizers forward a proposal (to agency `value`) or an event's proposals (`id` is the
    event); representatives answer, return an item or ask for more days."""

    action: str  # "forward", "event", "event_yes", "event_no", "answer", "outcome", "nodoc",
    # "return", "extend"
    id: int
    value: str = ""


class AgencyDirectoryCb(CallbackData, prefix="agd"):
    """Organizers edit the directory: an agency (`id`), a topic's route, an invitation."""

    action: str  # "days", "kind", "retire", "retire_yes", "invites", "invite", "revoke",
    # "topic", "route", "reps", "unrep"
    id: int = 0
    value: str = ""
