"""Finding events and seats: the published events a participant browses, the seats left,
a person's own registrations and their place on a waiting list."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import InvalidInput
from bot.services.events.states import CANCELLED, PUBLISHED, REGISTERED, WAITING
from db.models import Event, EventTopic, Registration, User

PAGE_SIZE = 5


async def get_event(session: AsyncSession, event_id: int) -> Event:
    if (event := await session.get(Event, event_id)) is None:
        raise InvalidInput("event_not_found")
    return event


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


async def event_registrant_ids(session: AsyncSession, event_id: int) -> list[int]:
    """User ids of the confirmed registrants of one event: the audience of an announcement
    to that event's registrants (waiting and cancelled people are not in it)."""
    query = (
        select(Registration.user_id)
        .where(Registration.event_id == event_id, Registration.status == REGISTERED)
        .order_by(Registration.user_id)
    )
    return list(await session.scalars(query))
