"""A compatriot's own time: the zone they chose in /profile, else their country's. Event
times are shown in Bishkek time and, when it differs, in theirs."""

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import InvalidInput
from db.models import User
from db.reference_data import COUNTRY_ZONES, TIME_ZONES


def zone_of(user: User | None) -> str | None:
    """The person's own zone, or None when they have none (the bot's zone applies)."""
    if user is None:
        return None
    if user.time_zone:
        return user.time_zone
    if user.lives_abroad and user.country_code:
        return COUNTRY_ZONES.get(user.country_code)
    return None


def differs(zone: str | None, home: ZoneInfo, moment: datetime) -> bool:
    """Whether a clock in `zone` shows another hour than the bot's at that moment."""
    if not zone:
        return False
    try:
        local = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return moment.astimezone(local).utcoffset() != moment.astimezone(home).utcoffset()


async def set_zone(session: AsyncSession, user: User, zone: str) -> None:
    if zone not in TIME_ZONES:
        raise InvalidInput("unknown_time_zone")
    user.time_zone = zone
    await session.flush()
