"""Check-in at the door: the short code a registrant shows marks them as attended."""

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import InvalidInput
from bot.services.events.listing import get_event
from bot.services.events.states import REGISTERED
from db.models import Event, Registration, User, utcnow


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
