"""Files about an event: the .ics calendar entry, QR images, and the registrant exports."""

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from db.models import Event


def deep_link(bot_username: str, event_id: int) -> str:
    return f"https://t.me/{bot_username}?start=ev_{event_id}"


def qr_png(text: str) -> bytes:
    import qrcode  # with PIL: imported on first use, to keep an idle bot small

    image = qrcode.make(text, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def calendar_sequence(event: Event) -> int:
    """SEQUENCE of the event's calendar entry: grows with every change of the event, so a
    calendar that has the entry (same UID) moves it instead of adding a second one."""
    return event.revision


def ics(event: Event, locale: str, tz: ZoneInfo, *, url: str, now: datetime) -> bytes:
    """One VEVENT in local time with its VTIMEZONE, so calendars show the right hour."""
    calendar = Calendar()
    calendar.add("prodid", "-//Kenesh//events//")
    calendar.add("version", "2.0")
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.id}@kenesh")
    entry.add("dtstamp", now)
    entry.add("sequence", calendar_sequence(event))
    entry.add("dtstart", event.starts_at.astimezone(tz))
    entry.add("dtend", event.ends_at.astimezone(tz))
    entry.add("summary", event.title(locale))
    description = event.description(locale)
    if event.online_url:
        description = f"{description}\n\n{event.online_url}".strip()
    if description:
        entry.add("description", description)
    if event.venue:
        entry.add("location", event.venue)
    elif event.online_url:
        entry.add("location", event.online_url)
    entry.add("url", url)
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def xlsx(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    summary: Sequence[tuple[str, object]],
    *,
    sheet_title: str,
    summary_title: str,
) -> bytes:
    from openpyxl import Workbook  # imported on first use, to keep an idle bot small

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = sheet_title[:31]
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    totals = workbook.create_sheet(summary_title[:31])
    for label, value in summary:
        totals.append([label, value])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """UTF-8 with a byte order mark, so spreadsheet programs read Cyrillic correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue().encode("utf-8-sig")
