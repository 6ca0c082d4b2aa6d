"""Notices about events: cancelled, a seat freed for you, reminders. Every one says when and
where (or the link), not just the title."""

from datetime import datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _
from babel.dates import get_timezone_location

from bot.i18n import format_when
from bot.keyboards.events import ReminderCb
from bot.notices.registry import Button, Notice, notice
from bot.services.local_time import differs


def when_and_where(params: dict[str, Any], locale: str, *, weekday: bool = False) -> str:
    """'🗓 21 сентября 2026 г., 10:00 – 13:00\n📍 venue\n🔗 link' in the reader's language. For
    a reader in another time zone (params["local_tz"]), the Bishkek time is marked as such and
    a line in their own time follows."""
    home = ZoneInfo(params["tz"])
    starts = datetime.fromisoformat(params["starts_at"])
    ends = datetime.fromisoformat(params["ends_at"])
    local_tz = params.get("local_tz")
    span = time_span(starts, ends, locale, home, weekday=weekday)
    if differs(local_tz, home, starts):
        assert local_tz is not None
        zone = ZoneInfo(local_tz)
        city = get_timezone_location(local_tz, locale=locale, return_city=True)
        lines = [
            "🗓 " + _("{when} (Bishkek time)").format(when=span),
            _("🕓 Your time ({city}): {when}").format(
                city=city, when=time_span(starts, ends, locale, zone, weekday=weekday)
            ),
        ]
    else:
        lines = [f"🗓 {span}"]
    if params.get("venue"):
        lines.append(f"📍 {escape(params['venue'], quote=False)}")
    if params.get("online_url"):
        lines.append(f"🔗 {escape(params['online_url'], quote=False)}")
    return "\n".join(lines)


def time_span(
    starts: datetime, ends: datetime, locale: str, tz: ZoneInfo, *, weekday: bool = False
) -> str:
    """'21-сентябрь, 2026-жыл, 10:00 – 13:00': the end's day only when it is another day."""
    if starts.astimezone(tz).date() == ends.astimezone(tz).date():
        end_text = ends.astimezone(tz).strftime("%H:%M")
    else:
        end_text = format_when(ends, locale, tz)
    return f"{format_when(starts, locale, tz, weekday=weekday)} – {end_text}"


def title(params: dict[str, Any], locale: str) -> str:
    titles: dict[str, str] = params["title"]
    return escape(titles.get(locale) or next(iter(titles.values())), quote=False)


@notice("event_cancelled")
def event_cancelled(params: dict[str, Any], locale: str) -> Notice:
    return Notice(
        _("❌ The event <b>{title}</b> is cancelled. We are sorry.\n\n{when}").format(
            title=title(params, locale), when=when_and_where(params, locale)
        )
    )


@notice("event_changed")
def event_changed(params: dict[str, Any], locale: str) -> Notice:
    return Notice(
        _("✏️ The time or place of <b>{title}</b> has changed. Now:\n\n{when}").format(
            title=title(params, locale), when=when_and_where(params, locale)
        )
    )


@notice("event_promoted")
def event_promoted(params: dict[str, Any], locale: str) -> Notice:
    return Notice(
        _(
            "🎉 A seat became free: you are now registered for <b>{title}</b>.\n\n{when}\n\n"
            "Your code for the entrance: <code>{code}</code>"
        ).format(
            title=title(params, locale), when=when_and_where(params, locale), code=params["code"]
        )
    )


@notice("event_reminder")
def event_reminder(params: dict[str, Any], locale: str) -> Notice:
    details = {
        "title": title(params, locale),
        "when": when_and_where(params, locale, weekday=True),
        "code": params["code"],
    }
    if params["which"] == "1h":
        return Notice(
            _(
                "⏰ <b>{title}</b> starts in an hour.\n\n{when}\n\nYour code: <code>{code}</code>"
            ).format(**details)
        )
    registration_id = params["registration_id"]
    return Notice(
        _(
            "⏰ Reminder: <b>{title}</b>.\n\n{when}\n\nYour code: <code>{code}</code>\n\n"
            "Are you still coming?"
        ).format(**details),
        buttons=[
            [
                Button(
                    _("Yes, I am coming"),
                    callback_data=ReminderCb(coming=True, reg=registration_id).pack(),
                ),
                Button(
                    _("I can't come"),
                    callback_data=ReminderCb(coming=False, reg=registration_id).pack(),
                ),
            ]
        ],
    )
