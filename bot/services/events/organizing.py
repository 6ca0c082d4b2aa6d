"""An organizer's events: saving the form as a new event or over an existing one (its
registrants told when the time or place changes), publishing, cancelling, the list."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import InvalidInput
from bot.services.events.form import EVENT_COLUMNS, EventDraft, draft_of, validate_draft
from bot.services.events.notices import event_params, tell_registrants
from bot.services.events.registration import fill_free_seats
from bot.services.events.states import DRAFT, EVENT_CANCELLED, PUBLISHED
from db.models import Event, EventTopic, Registration, User, utcnow


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
    for name in EVENT_COLUMNS:
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
        await tell_registrants(
            session, event, "event_changed", event_params(event, tz), calendar=True
        )
    await fill_free_seats(session, event, tz)  # a raised capacity seats the waiting list
    return event


def _when_and_where(event: Event) -> tuple[object, ...]:
    return (event.starts_at, event.ends_at, event.format, event.venue, event.online_url)


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
    return await tell_registrants(
        session,
        event,
        "event_cancelled",
        event_params(event, tz),
        dedupe=f"event:{event.id}:cancelled",
    )


async def organizer_events(session: AsyncSession, limit: int = 20) -> list[Event]:
    """Recent and coming events first, for the organizer's list."""
    query = select(Event).order_by(Event.starts_at.desc()).limit(limit)
    return list(await session.scalars(query))
