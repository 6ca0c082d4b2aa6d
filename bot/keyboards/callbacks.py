from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class LanguageCb(CallbackData, prefix="lang"):
    code: str


class ConsentCb(CallbackData, prefix="consent"):
    agree: bool


class PickCb(CallbackData, prefix="pick"):
    """A choice in a registration or profile step: field is region/country/category/gender."""

    field: str
    value: str


class SkipCb(CallbackData, prefix="skip"):
    field: str


class ProfileCb(CallbackData, prefix="profile"):
    action: str  # "edit", "toggle_announcements", "language", "delete"
    field: str = ""


class DeleteMeCb(CallbackData, prefix="deleteme"):
    confirm: bool


class BroadcastCb(CallbackData, prefix="bc"):
    action: str  # "audience", "pick", "send", "cancel", "stop"
    value: str = ""
    id: int = 0


class OrganizerCb(CallbackData, prefix="role"):
    action: str  # "revoke"
    user_id: int


# What a button under a proposal's card does (the packed values of ProposalCb.action).
ProposalAction = StrEnum("ProposalAction", ["open", "support", "unsupport", "withdraw"])


class ProposalCb(CallbackData, prefix="pr"):
    """Actions on one proposal: open, support, take the support back, withdraw."""

    action: ProposalAction
    id: int = 0


# The packed values of ProposeCb.step: "event" starts the form from an event's card.
ProposeStep = StrEnum(
    "ProposeStep",
    "event topic region skip_attachment anonymous edit support_instead submit cancel",
)


class ProposeCb(CallbackData, prefix="pp"):
    """Steps of writing a proposal: topic, region, anonymity, submit, edit, cancel."""

    step: ProposeStep
    value: str = ""


class BrowseCb(CallbackData, prefix="br"):
    region: str = ""
    topic: str = ""
    sort: str = "new"
    page: int = 0
    pick: str = ""  # "region" or "topic": show that filter's choices


class ModerateCb(CallbackData, prefix="md"):
    """Moderation: approve, reject, retag (topic then region), approve a page, next page."""

    action: str
    id: int = 0
    value: str = ""
    page: int = 0


class CancelCb(CallbackData, prefix="stop"):
    """The Cancel button of every multi-step flow (the same as /cancel)."""

    action: str = "cancel"


class SearchPageCb(CallbackData, prefix="sp"):
    """The next page of /search: the query is kept on the server under `token`."""

    token: str
    before: int


class MinePageCb(CallbackData, prefix="mp"):
    """The next page of /myproposals, below the last id seen."""

    before: int
