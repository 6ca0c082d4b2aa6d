"""Callback data (ids only) and keyboards of the agency journeys: the organizers' directory
and forwarding, the representatives' items, the author's word on an answer."""

from collections.abc import Iterable
from enum import StrEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import N_
from db.models import Agency, AgencyInvitation, Forwarding, Topic, User

OUTCOME_LABELS = {
    "accepted": N_("Accepted"),
    "partially-accepted": N_("Partially accepted"),
    "declined": N_("Not supported"),
    "implemented": N_("Implemented"),
    "in-progress": N_("In progress"),
}
DAY_CHOICES = (5, 10, 14, 30)


class SatisfactionCb(CallbackData, prefix="agsat"):
    answer_id: int
    satisfied: bool


class AgencyWorkAction(StrEnum):
    # organizers
    forward = "forward"  # a proposal to agency `value`
    event = "event"  # an event's proposals (`id` is the event): the preview
    event_yes = "event_yes"
    event_no = "event_no"
    # representatives (`id` is the forwarding)
    answer = "answer"
    outcome = "outcome"
    nodoc = "nodoc"
    return_ = "return"
    extend = "extend"


ORGANIZER_ACTIONS: set[str] = {
    AgencyWorkAction.forward,
    AgencyWorkAction.event,
    AgencyWorkAction.event_yes,
    AgencyWorkAction.event_no,
}
REPRESENTATIVE_ACTIONS: set[str] = {action.value for action in AgencyWorkAction} - ORGANIZER_ACTIONS


class AgencyWorkCb(CallbackData, prefix="agw"):
    """Organizers forward a proposal (to agency `value`) or an event's proposals (`id` is the
    event); representatives answer, return an item or ask for more days."""

    action: str  # an AgencyWorkAction; buttons are built with literals the keyboard walk reads
    id: int
    value: str = ""


class AgencyDirectoryAction(StrEnum):
    days = "days"
    kind = "kind"
    retire = "retire"
    retire_yes = "retire_yes"
    invites = "invites"
    invite = "invite"
    revoke = "revoke"
    topic = "topic"
    route = "route"
    reps = "reps"
    unrep = "unrep"


class AgencyDirectoryCb(CallbackData, prefix="agd"):
    """Organizers edit the directory: an agency (`id`), a topic's route, an invitation."""

    action: str  # an AgencyDirectoryAction, written as a literal in the buttons
    id: int = 0
    value: str = ""


def _one_per_row(builder: InlineKeyboardBuilder) -> InlineKeyboardMarkup:
    builder.adjust(1)
    return builder.as_markup()


# --- organizers: forwarding ----------------------------------------------------------------


def forward_choices(
    proposal_id: int, agencies: Iterable[Agency], default: Agency | None, locale: str
) -> InlineKeyboardMarkup:
    """The active agencies, the topic's usual one first with a ⭐."""
    builder = InlineKeyboardBuilder()
    default_id = default.id if default else None
    for agency in sorted(agencies, key=lambda a: a.id != default_id):
        label = agency.short_name(locale)
        if agency.id == default_id:
            label = "⭐ " + label
        builder.button(
            text=label[:60],
            callback_data=AgencyWorkCb(action="forward", id=proposal_id, value=str(agency.id)),
        )
    return _one_per_row(builder)


def event_forwarding_confirm(event_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("Yes, forward"), callback_data=AgencyWorkCb(action="event_yes", id=event_id)
    )
    builder.button(
        text=_("No, not now"), callback_data=AgencyWorkCb(action="event_no", id=event_id)
    )
    builder.adjust(2)
    return builder.as_markup()


# --- representatives -------------------------------------------------------------------------


def item_actions(item: Forwarding) -> InlineKeyboardMarkup:
    """Answer, not our competence, and more days (once)."""
    builder = InlineKeyboardBuilder()
    builder.button(text=_("✍️ Answer"), callback_data=AgencyWorkCb(action="answer", id=item.id))
    builder.button(
        text=_("↩️ Not our competence"),
        callback_data=AgencyWorkCb(action="return", id=item.id),
    )
    if item.extended_at is None:
        builder.button(
            text=_("⏳ Ask for more days"),
            callback_data=AgencyWorkCb(action="extend", id=item.id),
        )
    return _one_per_row(builder)


def outcomes(forwarding_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for outcome, label in OUTCOME_LABELS.items():
        builder.button(
            text=_(label),
            callback_data=AgencyWorkCb(action="outcome", id=forwarding_id, value=outcome),
        )
    builder.adjust(2)
    return builder.as_markup()


def no_document(forwarding_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("No document"), callback_data=AgencyWorkCb(action="nodoc", id=forwarding_id)
    )
    return builder.as_markup()


# --- organizers: the directory ---------------------------------------------------------------


def agency_card(agency: Agency) -> InlineKeyboardMarkup:
    """Answer time, calendar or working days, invitations, representatives, retire; a retired
    agency has no buttons."""
    builder = InlineKeyboardBuilder()
    if agency.is_active:
        for days in DAY_CHOICES:
            mark = "• " if days == agency.answer_days else ""
            builder.button(
                text=f"{mark}{days}",
                callback_data=AgencyDirectoryCb(action="days", id=agency.id, value=str(days)),
            )
        other = _("Count in calendar days") if agency.working_days else _("Count in working days")
        builder.button(text=other, callback_data=AgencyDirectoryCb(action="kind", id=agency.id))
        builder.button(
            text=_("🔗 Invitations"),
            callback_data=AgencyDirectoryCb(action="invites", id=agency.id),
        )
        builder.button(
            text=_("👥 Representatives"),
            callback_data=AgencyDirectoryCb(action="reps", id=agency.id),
        )
        builder.button(
            text=_("Retire"), callback_data=AgencyDirectoryCb(action="retire", id=agency.id)
        )
        builder.adjust(len(DAY_CHOICES), 1, 1, 1, 1)
    return builder.as_markup()


def retire_confirm(agency_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("Yes, retire it"),
        callback_data=AgencyDirectoryCb(action="retire_yes", id=agency_id),
    )
    return builder.as_markup()


def topics(rows: Iterable[Topic], locale: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for topic in rows:
        builder.button(
            text=topic.name(locale)[:60],
            callback_data=AgencyDirectoryCb(action="topic", value=topic.code),
        )
    builder.adjust(2)
    return builder.as_markup()


def route_choices(topic_code: str, agencies: Iterable[Agency], locale: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for option in agencies:
        builder.button(
            text=option.short_name(locale)[:60],
            callback_data=AgencyDirectoryCb(action="route", id=option.id, value=topic_code),
        )
    builder.button(
        text=_("None: route by hand"),
        callback_data=AgencyDirectoryCb(action="route", value=topic_code),
    )
    return _one_per_row(builder)


def representatives(agency_id: int, people: Iterable[User]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for person in people:
        name = person.full_name or str(person.telegram_id)
        builder.button(
            text=_("Remove {name}").format(name=name[:40]),
            callback_data=AgencyDirectoryCb(action="unrep", id=agency_id, value=str(person.id)),
        )
    return _one_per_row(builder)


def invitations(agency_id: int, open_ones: Iterable[AgencyInvitation]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for invitation in open_ones:
        builder.button(
            text=_("Revoke #{id}").format(id=invitation.id),
            callback_data=AgencyDirectoryCb(
                action="revoke", id=agency_id, value=str(invitation.id)
            ),
        )
    builder.button(
        text=_("➕ New link"), callback_data=AgencyDirectoryCb(action="invite", id=agency_id)
    )
    return _one_per_row(builder)
