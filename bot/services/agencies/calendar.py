"""Due dates: calendar or working days (weekends and the public holidays skipped), due at
09:00 local time, and the reminder slots of an open item."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    Agency,
    Holiday,
)

DUE_HOUR = time(9, 0)


@dataclass(frozen=True)
class Schedule:
    remind_before: int = 3
    remind_every: int = 3
    escalate_after: int = 7
    satisfaction_after: int = 7
    tz: str = "Asia/Bishkek"


DEFAULT_SCHEDULE = Schedule()


async def holidays_between(session: AsyncSession, start: date, end: date) -> set[date]:
    rows = await session.scalars(select(Holiday.day).where(Holiday.day.between(start, end)))
    return set(rows)


def add_days(start: date, days: int, *, working: bool, holidays: set[date]) -> date:
    """`days` calendar days after start, or `days` working days (weekends and holidays skipped)."""
    if not working:
        return start + timedelta(days=days)
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    return day


async def due_after(
    session: AsyncSession, agency: Agency, start: datetime, tz: ZoneInfo
) -> datetime:
    first = start.astimezone(tz).date()
    # Working days never stretch more than about 2.5x: generous window for the holidays lookup.
    holidays = await holidays_between(
        session, first, first + timedelta(days=agency.answer_days * 3 + 30)
    )
    day = add_days(first, agency.answer_days, working=agency.working_days, holidays=holidays)
    return datetime.combine(day, DUE_HOUR, tz).astimezone(UTC)


def overdue_days(due_at: datetime, now: datetime, tz: ZoneInfo) -> int:
    """Whole local days past the due date (0 when not overdue)."""
    return max(0, (now.astimezone(tz).date() - due_at.astimezone(tz).date()).days)


def next_slot_after(due_at: datetime, now: datetime, schedule: Schedule) -> datetime:
    before = due_at - timedelta(days=schedule.remind_before)
    if now < before:
        return before
    if now < due_at:
        return due_at
    every = timedelta(days=schedule.remind_every)
    passed = (now - due_at) // every
    return due_at + every * (passed + 1)


def slot_name(due_at: datetime, now: datetime, schedule: Schedule) -> str:
    """The latest slot at or before now: "before", "due" or "late<k>"."""
    if now < due_at:
        return "before"
    k = (now - due_at) // timedelta(days=schedule.remind_every)
    return "due" if k == 0 else f"late{k}"


async def add_holiday(session: AsyncSession, day: date, name_ky: str, name_ru: str) -> None:
    """Organizers add the movable feasts (Orozo Ait, Kurman Ait) announced each year."""
    name_ky, name_ru = name_ky.strip(), name_ru.strip()
    if await session.get(Holiday, day) is None:
        session.add(Holiday(day=day, name_ky=name_ky or name_ru, name_ru=name_ru or name_ky))
        await session.flush()


async def upcoming_holidays(session: AsyncSession, today: date) -> list[Holiday]:
    """The public holidays of the next 12 months."""
    rows = await session.scalars(
        select(Holiday)
        .where(Holiday.day >= today, Holiday.day < today + timedelta(days=366))
        .order_by(Holiday.day)
    )
    return list(rows)
