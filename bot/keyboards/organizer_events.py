"""Buttons of an organizer's events: the actions of OrgCb and of the event form's FormCb,
the list of events, and the form's menu of fields. OrgCb, FormCb and the event card's
buttons are in bot/keyboards/events.py (beside the participants' ones)."""

from collections.abc import Sequence
from enum import StrEnum
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import N_
from bot.keyboards import events as kb
from bot.keyboards.events import OrgCb
from db.models import Event


class OrgAction(StrEnum):
    NEW = "new"
    LIST = "list"
    CHECKIN = "checkin"
    VIEW = "view"
    PUBLISH = "publish"
    EDIT = "edit"
    CANCEL = "cancel"
    CANCEL_YES = "cancel_yes"
    PEOPLE = "people"
    XLSX = "xlsx"
    CSV = "csv"
    LINK = "link"


class FormField(StrEnum):
    """What a FormCb button does: its `field`."""

    EDIT = "edit"
    PREVIEW = "preview"
    SAVE = "save"
    TOPIC = "topic"
    DONE = "done"
    SKIP = "skip"
    KIND = "kind"
    FORMAT = "format"
    REGION = "region"


FIELD_LABELS = {
    "kind": N_("Kind"),
    "title_ky": N_("Title in Kyrgyz"),
    "title_ru": N_("Title in Russian"),
    "description_ky": N_("Description in Kyrgyz"),
    "description_ru": N_("Description in Russian"),
    "starts_at": N_("Start"),
    "ends_at": N_("End"),
    "format": N_("Format"),
    "venue": N_("Venue"),
    "online_url": N_("Online link"),
    "region": N_("Region"),
    "topics": N_("Topics"),
    "capacity": N_("Capacity"),
    "deadline": N_("Registration deadline"),
}
STATUS_MARKS = {"draft": "📝", "published": "✅", "cancelled": "❌"}


def event_list(found: Sequence[Event], locale: str, tz: ZoneInfo) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for event in found:
        day = f"{event.starts_at.astimezone(tz):%d.%m.%Y}"
        label = f"{STATUS_MARKS.get(event.status, '')} {day} {event.title(locale)}"
        builder.button(text=label[:60], callback_data=OrgCb(action=OrgAction.VIEW, id=event.id))
    builder.button(text=_("➕ New event"), callback_data=OrgCb(action=OrgAction.NEW))
    builder.adjust(1)
    return builder.as_markup()


def edit_menu() -> InlineKeyboardMarkup:
    return kb.edit_fields([(name, _(label)) for name, label in FIELD_LABELS.items()])


def preview_markup() -> InlineKeyboardMarkup:
    """Publish, save as a draft or discard, then the fields (without «Preview and save»)."""
    preview = kb.form_preview()
    edit = edit_menu()
    preview.inline_keyboard = preview.inline_keyboard + edit.inline_keyboard[:-1]
    return preview
