"""Events as the site shows them: coming and past ones, one published event, its
participation figures and its summary."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import events
from db.models import (
    Country,
    Event,
    EventSummary,
)

EVENTS_SHOWN = 50


async def event_lists(session: AsyncSession, now: datetime) -> tuple[list[Event], list[Event]]:
    """Published events: those not ended yet, soonest first; and the past ones, latest first."""
    published = select(Event).where(Event.status == events.PUBLISHED)
    upcoming = await session.scalars(
        published.where(Event.ends_at > now).order_by(Event.starts_at, Event.id).limit(EVENTS_SHOWN)
    )
    past = await session.scalars(
        published.where(Event.ends_at <= now)
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .limit(EVENTS_SHOWN)
    )
    return list(upcoming), list(past)


async def public_event(session: AsyncSession, event_id: int) -> Event | None:
    return await session.scalar(
        select(Event).where(Event.id == event_id, Event.status == events.PUBLISHED)
    )


@dataclass
class Participation:
    registered: int
    women: int
    men: int
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_country: list[tuple[str, int]] = field(default_factory=list)


async def participation(
    session: AsyncSession, event_id: int, locale: str, other_country: str
) -> Participation:
    """events.stats (the figures of the organizers' reports), with the countries typed as
    free text counted together under `other_country`: free text is not published."""
    figures = await events.stats(session, event_id, locale)
    known = {row.name(locale) for row in await session.scalars(select(Country))}
    countries: dict[str, int] = {}
    for name, count in figures.by_country.items():
        key = name if name in known else other_country
        countries[key] = countries.get(key, 0) + count

    def ordered(counter: dict[str, int]) -> list[tuple[str, int]]:
        return sorted(counter.items(), key=lambda item: (-item[1], item[0]))

    return Participation(
        figures.registered,
        figures.women,
        figures.men,
        ordered(figures.by_category),
        ordered(countries),
    )


async def summary_of(session: AsyncSession, event_id: int) -> EventSummary | None:
    return await session.get(EventSummary, event_id)
