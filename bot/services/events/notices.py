"""What the outbox messages about an event carry, and the one message to all its
registrants (a change of time or place, a cancellation)."""

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import outbox
from bot.services.events.states import CANCELLED, REGISTERED
from db.models import Event, Registration

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


async def tell_registrants(
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
