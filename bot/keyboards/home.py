"""The buttons of the home screens (organizers, agency representatives)."""

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.services.home import OrganizerFigures, RepresentativeFigures


class HomeCb(CallbackData, prefix="home"):
    # events, moderate, announce, agencies, summaries, stats, exports (organizers); items
    action: str


def counted(label: str, count: int) -> str:
    return f"{label} ({count})" if count else label


def home_buttons(
    organizer: OrganizerFigures | None, representative: RepresentativeFigures | None
) -> InlineKeyboardMarkup:
    """Two buttons a row, each short enough for a phone in either language."""
    builder = InlineKeyboardBuilder()
    if organizer is not None:
        for action, label in (
            ("events", _("🗓 Events")),
            ("moderate", counted(_("🛡 Moderation"), organizer.to_moderate)),
            ("announce", _("📣 Announce")),
            ("agencies", counted(_("🏛 Agencies"), organizer.overdue_items)),
            ("summaries", _("📄 Summaries")),
            ("stats", _("📊 Statistics")),
            ("exports", _("📥 Exports")),
        ):
            builder.button(text=label, callback_data=HomeCb(action=action))
    if representative is not None:
        builder.button(
            text=counted(_("📨 My items"), representative.open),
            callback_data=HomeCb(action="items"),
        )
    builder.adjust(2)
    return builder.as_markup()
