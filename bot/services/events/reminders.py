"""Reminders before an event: the 24-hour and 1-hour messages to everyone with a seat, queued
by the scheduler's sweep, with the read-only check that tells it whether any are due."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import outbox
from bot.services.events.notices import event_params
from bot.services.events.states import PUBLISHED, REGISTERED
from bot.services.local_time import zone_of
from db.models import Event, Registration, User

REMINDERS = (("24h", timedelta(hours=24)), ("1h", timedelta(hours=1)))


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
