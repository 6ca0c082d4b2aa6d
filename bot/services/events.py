"""Events: organizers create and publish them; participants register, wait, cancel, attend.

Times are UTC in the database; organizers type them in the configured time zone. Messages
that are not replies (cancellation, promotion, reminders) go through the outbox in the same
transaction as the change."""

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import outbox
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.local_time import zone_of
from db.models import (
    Country,
    Event,
    EventKind,
    EventTopic,
    Region,
    Registration,
    StakeholderCategory,
    Topic,
    User,
    utcnow,
)

FORMATS = ("in_person", "online", "hybrid")
REGISTERED, WAITING, CANCELLED = "registered", "waiting", "cancelled"
DRAFT, PUBLISHED, EVENT_CANCELLED = "draft", "published", "cancelled"
DATE_FORMAT = "%d.%m.%Y %H:%M"
DATE_PATTERN = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2}):(\d{2})\s*$")
# Short codes shown at the door: no 0/O or 1/I/L to misread.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
PAGE_SIZE = 5
TITLE_MAX, DESCRIPTION_MAX, VENUE_MAX, URL_MAX = 200, 3000, 300, 500
CAPACITY_MAX = 100_000
REMINDERS = (("24h", timedelta(hours=24)), ("1h", timedelta(hours=1)))


# --- typing and checking what organizers write ------------------------------------------


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
    value = value.strip()
    if not value:
        raise InvalidInput("text_empty")
    if len(value) > maximum:
        raise InvalidInput(reason, length=len(value), maximum=maximum)
    return value


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


# --- organizers --------------------------------------------------------------------------


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


async def save_event(
    session: AsyncSession,
    draft: EventDraft,
    *,
    author: User,
    publish: bool,
    tz: ZoneInfo,
    event: Event | None = None,
    now: datetime | None = None,
) -> Event:
    """Creates an event (or rewrites an existing one when editing) from a checked draft."""
    await validate_draft(session, draft, now or utcnow())
    if event is None:
        event = Event(created_by_id=author.id, status=DRAFT)
        session.add(event)
    elif event.status == EVENT_CANCELLED:
        raise InvalidInput("event_cancelled")
    moved = event.starts_at is not None and event.starts_at != draft.starts_at
    # Registrants of a published event are told when its time or place changes.
    before = _when_and_where(event) if event.status == PUBLISHED else None
    for name in (
        "kind_code",
        "title_ky",
        "title_ru",
        "description_ky",
        "description_ru",
        "starts_at",
        "ends_at",
        "format",
        "venue",
        "online_url",
        "region_code",
        "capacity",
        "registration_deadline",
    ):
        setattr(event, name, getattr(draft, name))
    if draft.format == "online":
        event.venue = None
    if draft.format == "in_person":
        event.online_url = None
    if publish:
        event.status = PUBLISHED
    await session.flush()
    await session.execute(delete(EventTopic).where(EventTopic.event_id == event.id))
    session.add_all(EventTopic(event_id=event.id, topic_code=code) for code in draft.topic_codes)
    await session.flush()
    if moved:
        # A new start time re-arms the reminders for it (their dedupe keys carry the time).
        await session.execute(
            update(Registration)
            .where(Registration.event_id == event.id)
            .values(reminded_24h_at=None, reminded_1h_at=None)
        )
    if before is not None and before != _when_and_where(event):
        await _tell_registrants(
            session, event, "event_changed", event_params(event, tz), calendar=True
        )
    await fill_free_seats(session, event, tz)  # a raised capacity seats the waiting list
    return event


def _when_and_where(event: Event) -> tuple[object, ...]:
    return (event.starts_at, event.ends_at, event.format, event.venue, event.online_url)


async def _tell_registrants(
    session: AsyncSession,
    event: Event,
    template: str,
    params: dict[str, Any],
    dedupe: str | None = None,
    *,
    calendar: bool = False,
) -> int:
    """One outbox message to everyone registered or waiting; returns how many. With
    `calendar`, those with a seat get the updated calendar file with it."""
    rows = (
        await session.execute(
            select(Registration.user_id, Registration.status).where(
                Registration.event_id == event.id, Registration.status != CANCELLED
            )
        )
    ).all()
    user_ids = [user_id for user_id, _status in rows]
    for user_id, status in rows:
        seated = calendar and status == REGISTERED
        await outbox.enqueue(
            session,
            user_id=user_id,
            kind=template,
            template=template,
            params=params,
            dedupe_key=f"{dedupe}:{user_id}" if dedupe else None,
            attachment_kind=CALENDAR_ATTACHMENT if seated else None,
            attachment_ref=str(event.id) if seated else None,
        )
    await session.flush()
    return len(user_ids)


async def draft_of(session: AsyncSession, event: Event) -> EventDraft:
    return EventDraft(
        kind_code=event.kind_code,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        format=event.format,
        region_code=event.region_code,
        title_ky=event.title_ky,
        title_ru=event.title_ru,
        description_ky=event.description_ky,
        description_ru=event.description_ru,
        venue=event.venue,
        online_url=event.online_url,
        topic_codes=await topic_codes(session, event.id),
        capacity=event.capacity,
        registration_deadline=event.registration_deadline,
    )


async def publish(session: AsyncSession, event: Event, now: datetime | None = None) -> None:
    if event.status != DRAFT:
        raise InvalidInput("not_a_draft")
    await validate_draft(session, await draft_of(session, event), now or utcnow())
    event.status = PUBLISHED
    await session.flush()


async def cancel_event(session: AsyncSession, event: Event, tz: ZoneInfo) -> int:
    """Cancels the event and tells everyone registered or waiting; returns how many."""
    if event.status == EVENT_CANCELLED:
        raise InvalidInput("event_cancelled")
    event.status = EVENT_CANCELLED
    return await _tell_registrants(
        session,
        event,
        "event_cancelled",
        event_params(event, tz),
        dedupe=f"event:{event.id}:cancelled",
    )


async def get_event(session: AsyncSession, event_id: int) -> Event:
    event = await session.get(Event, event_id)
    if event is None:
        raise InvalidInput("event_not_found")
    return event


async def organizer_events(session: AsyncSession, limit: int = 20) -> list[Event]:
    """Recent and coming events first, for the organizer's list."""
    query = select(Event).order_by(Event.starts_at.desc()).limit(limit)
    return list(await session.scalars(query))


# --- what participants see ---------------------------------------------------------------


async def topic_codes(session: AsyncSession, event_id: int) -> list[str]:
    query = select(EventTopic.topic_code).where(EventTopic.event_id == event_id)
    return sorted(await session.scalars(query))


async def upcoming(
    session: AsyncSession,
    now: datetime,
    *,
    region: str | None = None,
    topic: str | None = None,
    page: int = 0,
) -> tuple[list[Event], int]:
    """One page of published events that have not ended, soonest first, and the total."""
    query = select(Event).where(Event.status == PUBLISHED, Event.ends_at > now)
    if region:
        query = query.where(Event.region_code == region)
    if topic:
        query = query.where(
            Event.id.in_(select(EventTopic.event_id).where(EventTopic.topic_code == topic))
        )
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page_query = query.order_by(Event.starts_at, Event.id).offset(page * PAGE_SIZE)
    return list(await session.scalars(page_query.limit(PAGE_SIZE))), total


async def registered_count(session: AsyncSession, event_id: int) -> int:
    query = select(func.count()).where(
        Registration.event_id == event_id, Registration.status == REGISTERED
    )
    return await session.scalar(query) or 0


async def seats_left(session: AsyncSession, event: Event) -> int | None:
    if event.capacity is None:
        return None
    return max(event.capacity - await registered_count(session, event.id), 0)


async def registration_of(
    session: AsyncSession, event_id: int, user_id: int
) -> Registration | None:
    query = select(Registration).where(
        Registration.event_id == event_id, Registration.user_id == user_id
    )
    return await session.scalar(query)


async def waiting_position(session: AsyncSession, registration: Registration) -> int | None:
    if registration.status != WAITING:
        return None
    ahead = select(func.count()).where(
        Registration.event_id == registration.event_id,
        Registration.status == WAITING,
        (Registration.queued_at < registration.queued_at)
        | (
            (Registration.queued_at == registration.queued_at) & (Registration.id < registration.id)
        ),
    )
    return (await session.scalar(ahead) or 0) + 1


async def my_registrations(
    session: AsyncSession, user: User, now: datetime
) -> list[tuple[Registration, Event, int | None]]:
    """The person's active registrations for events that have not ended, with waiting places."""
    query = (
        select(Registration, Event)
        .join(Event, Event.id == Registration.event_id)
        .where(
            Registration.user_id == user.id,
            Registration.status != CANCELLED,
            Event.ends_at > now,
        )
        .order_by(Event.starts_at)
    )
    result = []
    for registration, event in (await session.execute(query)).all():
        result.append((registration, event, await waiting_position(session, registration)))
    return result


# --- registering -------------------------------------------------------------------------


async def _new_code(session: AsyncSession) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if await session.scalar(select(Registration.id).where(Registration.code == code)) is None:
            return code


async def _locked_event(session: AsyncSession, event_id: int) -> Event:
    """The event row, locked on PostgreSQL so two last-seat registrations cannot both win
    (SQLite serialises writers anyway)."""
    event = await session.scalar(
        select(Event)
        .where(Event.id == event_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if event is None:
        raise InvalidInput("event_not_found")
    return event


async def register(
    session: AsyncSession, user: User, event_id: int, now: datetime | None = None
) -> Registration:
    """A seat, or a place on the waiting list when the event is full."""
    now = now or utcnow()
    if not user.is_registered:
        raise InvalidInput("registration_required")
    event = await _locked_event(session, event_id)
    if event.status == EVENT_CANCELLED:
        raise InvalidInput("event_cancelled")
    if event.status != PUBLISHED:
        raise InvalidInput("event_not_found")
    if event.starts_at <= now:
        raise InvalidInput("event_past")
    if event.registration_deadline is not None and event.registration_deadline < now:
        raise InvalidInput("deadline_passed")
    registration = await registration_of(session, event.id, user.id)
    if registration is not None and registration.status != CANCELLED:
        raise InvalidInput("already_registered", status=registration.status)
    full = (
        event.capacity is not None and await registered_count(session, event.id) >= event.capacity
    )
    status = WAITING if full else REGISTERED
    if registration is None:
        registration = Registration(
            event_id=event.id, user_id=user.id, code=await _new_code(session)
        )
        session.add(registration)
    registration.status = status
    registration.queued_at = now
    registration.attended_at = None
    registration.reminded_24h_at = None
    registration.reminded_1h_at = None
    await session.flush()
    return registration


async def cancel_registration(
    session: AsyncSession,
    registration: Registration,
    user: User,
    tz: ZoneInfo,
    now: datetime | None = None,
) -> Registration | None:
    """Frees the seat; the first on the waiting list gets it and is told. Returns them."""
    if registration.user_id != user.id:
        raise NotAllowed("not your registration")
    if registration.status == CANCELLED:
        raise InvalidInput("not_registered")
    event = await _locked_event(session, registration.event_id)
    was_seated = registration.status == REGISTERED
    registration.status = CANCELLED
    await session.flush()
    if was_seated and event.status == PUBLISHED and event.starts_at > (now or utcnow()):
        promoted = await fill_free_seats(session, event, tz)
        return promoted[0] if promoted else None
    return None


async def fill_free_seats(
    session: AsyncSession, event: Event, tz: ZoneInfo | None = None
) -> list[Registration]:
    """Moves people from the waiting list into free seats, first come first served."""
    if event.status != PUBLISHED:
        return []
    free = None
    if event.capacity is not None:
        free = event.capacity - await registered_count(session, event.id)
    query = (
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == WAITING)
        .order_by(Registration.queued_at, Registration.id)
    )
    if free is not None:
        if free <= 0:
            return []
        query = query.limit(free)
    promoted = list(await session.scalars(query))
    params = event_params(event, tz)
    for registration in promoted:
        registration.status = REGISTERED
        await outbox.enqueue(
            session,
            user_id=registration.user_id,
            kind="event_promoted",
            template="event_promoted",
            params={**params, "code": registration.code},
            attachment_kind=CALENDAR_ATTACHMENT,  # the seat's calendar file comes with it
            attachment_ref=str(event.id),
        )
    await session.flush()
    return promoted


async def find_by_code(session: AsyncSession, code: str) -> Registration | None:
    cleaned = re.sub(r"\s", "", code).upper()
    return await session.scalar(select(Registration).where(Registration.code == cleaned))


async def check_in(
    session: AsyncSession, code: str, now: datetime | None = None
) -> tuple[Registration, User, Event, bool]:
    """Marks attendance by the door code; returns (registration, person, event, first_time)."""
    registration = await find_by_code(session, code)
    if registration is None:
        raise InvalidInput("code_unknown")
    event = await get_event(session, registration.event_id)
    person = await session.get(User, registration.user_id)
    assert person is not None
    if registration.status != REGISTERED:
        raise InvalidInput("code_not_seated", status=registration.status)
    first_time = registration.attended_at is None
    if first_time:
        registration.attended_at = now or utcnow()
        await session.flush()
    return registration, person, event, first_time


async def event_registrant_ids(session: AsyncSession, event_id: int) -> list[int]:
    """User ids of the confirmed registrants of one event: the audience of an announcement
    to that event's registrants (waiting and cancelled people are not in it)."""
    query = (
        select(Registration.user_id)
        .where(Registration.event_id == event_id, Registration.status == REGISTERED)
        .order_by(Registration.user_id)
    )
    return list(await session.scalars(query))


# --- notices -------------------------------------------------------------------------------


# An outbox attachment made at sending time: the .ics of event `attachment_ref`.
CALENDAR_ATTACHMENT = "ics"


def event_params(event: Event, tz: ZoneInfo | None) -> dict[str, Any]:
    """What a notice needs to say which event, when and where, in either language."""
    return {
        "event_id": event.id,
        "title": {"ky": event.title("ky"), "ru": event.title("ru")},
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "tz": str(tz) if tz is not None else "Asia/Bishkek",
        "format": event.format,
        "venue": event.venue or "",
        "online_url": event.online_url or "",
    }


def _awaiting_reminder(now: datetime) -> list[Any]:
    """Seated registrations of a published event starting within 24 hours, without the
    1-hour reminder yet (queue_due_reminders' WHERE)."""
    return [
        Event.status == PUBLISHED,
        Event.starts_at > now,
        Event.starts_at <= now + timedelta(hours=24),
        Registration.status == REGISTERED,
        Registration.reminded_1h_at.is_(None),
    ]


async def reminders_due(session: AsyncSession, now: datetime) -> bool:
    """Whether queue_due_reminders has anything to queue (a read, for an idle scheduler)."""
    query = (
        select(Registration.id)
        .join(Event, Event.id == Registration.event_id)
        .where(
            *_awaiting_reminder(now),
            Registration.reminded_24h_at.is_(None) | (Event.starts_at <= now + timedelta(hours=1)),
        )
        .limit(1)
    )
    return await session.scalar(query) is not None


async def queue_due_reminders(session: AsyncSession, now: datetime, tz: ZoneInfo) -> int:
    """Queues the 24-hour and 1-hour reminders that are due; returns how many.

    One query finds every seated registration of a published event that starts within 24 hours
    and still lacks a reminder. After downtime a late reminder still goes out while the event
    has not started; if the 1-hour mark has passed too, only the 1-hour one is sent."""
    query = (
        select(Registration, Event, User)
        .join(Event, Event.id == Registration.event_id)
        .join(User, User.id == Registration.user_id)
        .where(*_awaiting_reminder(now))
    )
    queued = 0
    for registration, event, person in (await session.execute(query)).all():
        one_hour_due = event.starts_at <= now + timedelta(hours=1)
        which = "1h" if one_hour_due else "24h"
        if which == "24h" and registration.reminded_24h_at is not None:
            continue
        params = {
            **event_params(event, tz),
            "which": which,
            "registration_id": registration.id,
            "code": registration.code,
        }
        if local_tz := zone_of(person):  # a compatriot abroad reads their own time too
            params["local_tz"] = local_tz
        key = f"event:{event.id}:{event.starts_at:%Y%m%d%H%M}:reminder:{which}:{registration.id}"
        if await outbox.enqueue(
            session,
            user_id=registration.user_id,
            kind="event_reminder",
            template="event_reminder",
            params=params,
            dedupe_key=key,
        ):
            queued += 1
        registration.reminded_24h_at = registration.reminded_24h_at or now
        if one_hour_due:
            registration.reminded_1h_at = now
    await session.flush()
    return queued


# --- the figures a report needs ------------------------------------------------------------


@dataclass
class EventStats:
    registered: int = 0
    attended: int = 0
    waiting: int = 0
    women: int = 0
    men: int = 0
    gender_not_given: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    by_region: dict[str, int] = field(default_factory=dict)
    by_country: dict[str, int] = field(default_factory=dict)


@dataclass
class Registrant:
    registration: Registration
    user: User


async def registrants(session: AsyncSession, event_id: int) -> list[Registrant]:
    """Registered and waiting people, seated first, in order of registration."""
    query = (
        select(Registration, User)
        .join(User, User.id == Registration.user_id)
        .where(Registration.event_id == event_id, Registration.status != CANCELLED)
        .order_by(Registration.status, Registration.queued_at, Registration.id)
    )
    return [Registrant(reg, user) for reg, user in (await session.execute(query)).all()]


def _count(counter: dict[str, int], key: str) -> None:
    counter[key] = counter.get(key, 0) + 1


async def stats(session: AsyncSession, event_id: int, locale: str) -> EventStats:
    """Registered people (gender, category, region, countries abroad) and attendance.
    Category, region and country keys are names in `locale`."""
    names: dict[tuple[str, str], str] = {}
    for model in (Region, StakeholderCategory, Country):
        for row in await session.scalars(select(model)):
            names[(model.__tablename__, row.code)] = row.name(locale)  # type: ignore[attr-defined]
    result = EventStats()
    for item in await registrants(session, event_id):
        reg, person = item.registration, item.user
        if reg.status == WAITING:
            result.waiting += 1
            continue
        result.registered += 1
        if reg.attended_at is not None:
            result.attended += 1
        if person.gender == "female":
            result.women += 1
        elif person.gender == "male":
            result.men += 1
        else:
            result.gender_not_given += 1
        if person.category_code:
            _count(result.by_category, names[("stakeholder_categories", person.category_code)])
        if person.region_code:
            _count(result.by_region, names[("regions", person.region_code)])
        if person.lives_abroad:
            country = (
                names[("countries", person.country_code)]
                if person.country_code
                else person.country_other or "?"
            )
            _count(result.by_country, country)
    return result
