"""The event form's rules: what an organizer may type (dates in local time, texts, links,
capacity), the draft those answers make, and the checks a draft passes before it is saved."""

import re
from dataclasses import dataclass, field, fields
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import InvalidInput
from bot.services.validation import filled
from db.models import Event, EventKind, EventTopic, Region, Topic

FORMATS = ("in_person", "online", "hybrid")
DATE_FORMAT = "%d.%m.%Y %H:%M"
DATE_PATTERN = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2}):(\d{2})\s*$")
TITLE_MAX, DESCRIPTION_MAX, VENUE_MAX, URL_MAX = 200, 3000, 300, 500
CAPACITY_MAX = 100_000


def parse_local(text: str, tz: ZoneInfo) -> datetime:
    """'21.09.2026 10:00' in local time -> an aware UTC datetime."""
    match = DATE_PATTERN.match(text)
    if match is None:
        raise InvalidInput("date_format", example="21.09.2026 10:00")
    day, month, year, hour, minute = (int(part) for part in match.groups())
    try:
        local = datetime(year, month, day, hour, minute, tzinfo=tz)
    except ValueError:
        raise InvalidInput("date_impossible", text=text.strip()) from None
    return local.astimezone(ZoneInfo("UTC"))


def format_local(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime(DATE_FORMAT)


def check_text(value: str, maximum: int, reason: str = "text_too_long") -> str:
    return filled(value.strip(), maximum, "text_empty", reason)


def check_url(value: str) -> str:
    value = value.strip()
    if not re.match(r"^https?://\S+\.\S+$", value) or len(value) > URL_MAX:
        raise InvalidInput("url_invalid")
    return value


def check_capacity(value: str) -> int:
    value = value.strip()
    if not value.isdigit() or not 1 <= int(value) <= CAPACITY_MAX:
        raise InvalidInput("capacity_invalid", maximum=CAPACITY_MAX)
    return int(value)


def check_times(
    starts_at: datetime,
    ends_at: datetime | None,
    deadline: datetime | None,
    now: datetime,
) -> None:
    if starts_at <= now:
        raise InvalidInput("start_in_past")
    if ends_at is not None and ends_at <= starts_at:
        raise InvalidInput("end_before_start")
    if deadline is not None and deadline > starts_at:
        raise InvalidInput("deadline_after_start")


@dataclass
class EventDraft:
    """Everything the organizer answered; dates are UTC."""

    kind_code: str
    starts_at: datetime
    ends_at: datetime
    format: str
    region_code: str | None
    title_ky: str | None = None
    title_ru: str | None = None
    description_ky: str | None = None
    description_ru: str | None = None
    venue: str | None = None
    online_url: str | None = None
    topic_codes: list[str] = field(default_factory=list)
    capacity: int | None = None
    registration_deadline: datetime | None = None


# The draft's answers that are columns of the event with the same name (the topics are rows
# of their own).
EVENT_COLUMNS = tuple(item.name for item in fields(EventDraft) if item.name != "topic_codes")


async def validate_draft(session: AsyncSession, draft: EventDraft, now: datetime) -> None:
    if await session.get(EventKind, draft.kind_code) is None:
        raise InvalidInput("unknown_kind")
    if not (draft.title_ky or draft.title_ru):
        raise InvalidInput("title_required")
    if draft.format not in FORMATS:
        raise InvalidInput("unknown_format")
    if draft.format in ("in_person", "hybrid") and not draft.venue:
        raise InvalidInput("venue_required")
    if draft.format in ("online", "hybrid") and not draft.online_url:
        raise InvalidInput("link_required")
    if draft.region_code and await session.get(Region, draft.region_code) is None:
        raise InvalidInput("unknown_region")
    for code in draft.topic_codes:
        if await session.get(Topic, code) is None:
            raise InvalidInput("unknown_topic")
    check_times(draft.starts_at, draft.ends_at, draft.registration_deadline, now)


async def topic_codes(session: AsyncSession, event_id: int) -> list[str]:
    query = select(EventTopic.topic_code).where(EventTopic.event_id == event_id)
    return sorted(await session.scalars(query))


async def draft_of(session: AsyncSession, event: Event) -> EventDraft:
    """The form's answers that would make `event` as it is (for editing it)."""
    return EventDraft(
        **{name: getattr(event, name) for name in EVENT_COLUMNS},
        topic_codes=await topic_codes(session, event.id),
    )
