"""Buttons of the events journeys (participants and organizers). Callback data holds ids only."""

from collections.abc import Sequence
from enum import StrEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.keyboards.agencies import AgencyWorkCb
from bot.keyboards.callbacks import ProposeCb, ProposeStep
from bot.keyboards.common import Choice
from bot.keyboards.drafts import DraftCb
from bot.keyboards.pager import add_pager
from bot.keyboards.summaries import StatsCb, SummaryCb


class EventListCb(CallbackData, prefix="evl"):
    page: int = 0
    region: str = ""
    topic: str = ""


class EventFilterCb(CallbackData, prefix="evf"):
    by: str  # "region" or "topic"


# What a participant's event button does (the packed values of EventCb.action).
EventAction = StrEnum("EventAction", "open register unregister mine")


class EventCb(CallbackData, prefix="ev"):
    action: EventAction
    id: int = 0


class ReminderCb(CallbackData, prefix="evr"):
    coming: bool
    reg: int


class OrgCb(CallbackData, prefix="org"):
    # menu, new, list, view, publish, edit, cancel, cancel_yes, people, xlsx, csv, link, checkin
    action: str
    id: int = 0


class FormCb(CallbackData, prefix="evform"):
    """A choice in the event form: field is kind/format/region/topic/done/skip/save."""

    field: str
    value: str = ""


def event_list(
    items: list[tuple[int, str]], page: int, pages: int, region: str, topic: str
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for event_id, label in items:
        builder.button(text=label, callback_data=EventCb(action=EventAction.open, id=event_id))
    sizes = [1] * len(items)
    nav = add_pager(
        builder,
        EventListCb(page=page - 1, region=region, topic=topic) if page > 0 else None,
        EventListCb(page=page + 1, region=region, topic=topic) if page + 1 < pages else None,
    )
    if nav:
        sizes.append(nav)
    builder.button(text=_("Filter by region"), callback_data=EventFilterCb(by="region"))
    builder.button(text=_("Filter by topic"), callback_data=EventFilterCb(by="topic"))
    builder.button(text=_("My events"), callback_data=EventCb(action=EventAction.mine))
    sizes += [2, 1]
    if region or topic:
        builder.button(text=_("Show all"), callback_data=EventListCb())
        sizes.append(1)
    builder.adjust(*sizes)
    return builder.as_markup()


def filter_choice(by: str, options: Sequence[Choice], locale: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for option in options:
        code: str = option.code
        target = EventListCb(region=code) if by == "region" else EventListCb(topic=code)
        builder.button(text=option.name(locale), callback_data=target)
    builder.button(text=_("Show all"), callback_data=EventListCb())
    builder.adjust(2)
    return builder.as_markup()


def event_card(
    event_id: int,
    registered: bool,
    can_register: bool,
    *,
    proposals: bool = True,
    draft_id: int | None = None,
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if registered:
        builder.button(
            text=_("Cancel my registration"),
            callback_data=EventCb(action=EventAction.unregister, id=event_id),
        )
    elif can_register:
        builder.button(
            text=_("Register"), callback_data=EventCb(action=EventAction.register, id=event_id)
        )
    if proposals:
        builder.button(
            text=_("✍️ A proposal to this event"),
            callback_data=ProposeCb(step=ProposeStep.event, value=str(event_id)),
        )
    if draft_id is not None:
        builder.button(
            text=_("📜 The draft under discussion"),
            callback_data=DraftCb(action="open", id=draft_id),
        )
    builder.button(text=_("All events"), callback_data=EventListCb())
    builder.adjust(1)
    return builder.as_markup()


def organizer_menu() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("➕ New event"), callback_data=OrgCb(action="new"))
    builder.button(text=_("📋 Events"), callback_data=OrgCb(action="list"))
    builder.button(text=_("🎫 Check a code"), callback_data=OrgCb(action="checkin"))
    builder.adjust(1)
    return builder.as_markup()


def organizer_event(event_id: int, status: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if status == "draft":
        builder.button(text=_("Publish"), callback_data=OrgCb(action="publish", id=event_id))
    if status != "cancelled":
        builder.button(text=_("Edit"), callback_data=OrgCb(action="edit", id=event_id))
    builder.button(text=_("Registrants"), callback_data=OrgCb(action="people", id=event_id))
    builder.button(text=_("Excel"), callback_data=OrgCb(action="xlsx", id=event_id))
    builder.button(text=_("CSV"), callback_data=OrgCb(action="csv", id=event_id))
    builder.button(text=_("Link and QR code"), callback_data=OrgCb(action="link", id=event_id))
    builder.button(
        text=_("📄 Publish the summary"), callback_data=SummaryCb(action="write", id=event_id)
    )
    builder.button(
        text=_("📄 Outcome document"), callback_data=SummaryCb(action="doc", id=event_id)
    )
    builder.button(
        text=_("Proposals: Excel"), callback_data=StatsCb(action="xlsx", event_id=event_id)
    )
    builder.button(
        text=_("📨 Proposals to the agencies"),
        callback_data=AgencyWorkCb(action="event", id=event_id),
    )
    if status != "cancelled":
        builder.button(
            text=_("Cancel the event"), callback_data=OrgCb(action="cancel", id=event_id)
        )
    builder.button(text=_("📋 Events"), callback_data=OrgCb(action="list"))
    builder.adjust(2)
    return builder.as_markup()


def confirm_cancel(event_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("Yes, cancel the event"), callback_data=OrgCb(action="cancel_yes", id=event_id)
    )
    builder.button(text=_("No, keep it"), callback_data=OrgCb(action="view", id=event_id))
    builder.adjust(1)
    return builder.as_markup()


def form_pick(
    field: str,
    options: list[tuple[str, str]],
    *,
    columns: int = 2,
    chosen: frozenset[str] = frozenset(),
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for value, label in options:
        mark = "✅ " if value in chosen else ""
        builder.button(text=mark + label, callback_data=FormCb(field=field, value=value))
    if field == "topic":
        builder.button(text=_("Done"), callback_data=FormCb(field="done"))
    builder.adjust(columns)
    return builder.as_markup()


def form_skip() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Skip"), callback_data=FormCb(field="skip"))
    return builder.as_markup()


def form_preview() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Publish"), callback_data=FormCb(field="save", value="publish"))
    builder.button(text=_("Save as draft"), callback_data=FormCb(field="save", value="draft"))
    builder.button(text=_("Discard"), callback_data=FormCb(field="save", value="discard"))
    builder.adjust(2, 1)
    return builder.as_markup()


def edit_fields(fields: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for name, label in fields:
        builder.button(text=label, callback_data=FormCb(field="edit", value=name))
    builder.button(text=_("Preview and save"), callback_data=FormCb(field="preview"))
    builder.adjust(2)
    return builder.as_markup()
