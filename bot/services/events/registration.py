"""Registering for an event: a seat or a place on the waiting list, giving it up, and the
waiting list moving into freed or added seats (the person promoted is told by the outbox)."""

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import outbox
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.events.listing import registered_count, registration_of
from bot.services.events.notices import CALENDAR_ATTACHMENT, event_params
from bot.services.events.states import (
    CANCELLED,
    EVENT_CANCELLED,
    PUBLISHED,
    REGISTERED,
    WAITING,
)
from db.models import Event, Registration, User, utcnow

# Short codes shown at the door: no 0/O or 1/I/L to misread.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


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
    # A new start: not attended, not reminded.
    registration.attended_at = registration.reminded_24h_at = registration.reminded_1h_at = None
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
