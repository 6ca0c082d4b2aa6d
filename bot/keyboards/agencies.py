"""Callback data of the agency journeys (ids only)."""

from aiogram.filters.callback_data import CallbackData


class SatisfactionCb(CallbackData, prefix="agsat"):
    answer_id: int
    satisfied: bool


class AgencyWorkCb(CallbackData, prefix="agw"):
    """Organizers forward (to agency `value`); representatives answer, or return an item."""

    action: str  # "forward", "answer", "outcome", "return"
    id: int
    value: str = ""


class AgencyDirectoryCb(CallbackData, prefix="agd"):
    """Organizers edit the directory: an agency (`id`), a topic's route, an invitation."""

    action: str  # "days", "kind", "retire", "retire_yes", "invites", "invite", "revoke",
    # "topic", "route"
    id: int = 0
    value: str = ""
