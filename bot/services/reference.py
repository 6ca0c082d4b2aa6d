"""Reference data for pickers and labels: regions, topics, categories, countries, kinds.

Read on nearly every update and changed almost never, so each list is kept in memory, per
database, as plain snapshots (never ORM rows, which belong to one session). Any change to
these tables through the ORM in this process clears the cache when it is flushed and again
when it commits; a change made elsewhere (another process, raw SQL) shows within
CACHE_SECONDS."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, Select, event, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from db.models import Country, EventKind, Region, StakeholderCategory, Topic

CACHE_SECONDS = 60.0
REFERENCE_MODELS = (Region, Topic, StakeholderCategory, Country, EventKind)


@dataclass(frozen=True, slots=True)
class RefItem:
    """One region, topic, category, country or event kind, as pickers and labels show it."""

    code: str
    name_ky: str
    name_ru: str
    sort_order: int
    is_residence: bool = True

    def name(self, locale: str | None) -> str:
        return self.name_ky if locale == "ky" else self.name_ru


# pool (one per database) -> list name -> (read at, items)
_cache: "WeakKeyDictionary[Any, dict[str, tuple[float, list[RefItem]]]]" = WeakKeyDictionary()


def invalidate() -> None:
    _cache.clear()


async def _cached(
    session: AsyncSession, name: str, query: Callable[[], Select[Any]]
) -> list[RefItem]:
    pool = cast(Engine, session.sync_session.get_bind()).pool
    lists = _cache.setdefault(pool, {})
    hit = lists.get(name)
    now = time.monotonic()
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    items = [
        RefItem(
            code=row.code,
            name_ky=row.name_ky,
            name_ru=row.name_ru,
            sort_order=row.sort_order,
            is_residence=getattr(row, "is_residence", True),
        )
        for row in await session.scalars(query())
    ]
    lists[name] = (now, items)
    return items


async def residence_regions(session: AsyncSession) -> list[RefItem]:
    return [region for region in await all_regions(session) if region.is_residence]


async def all_regions(session: AsyncSession) -> list[RefItem]:
    return await _cached(session, "regions", lambda: select(Region).order_by(Region.sort_order))


async def topics(session: AsyncSession) -> list[RefItem]:
    return await _cached(session, "topics", lambda: select(Topic).order_by(Topic.sort_order))


async def categories(session: AsyncSession) -> list[RefItem]:
    return await _cached(
        session,
        "categories",
        lambda: select(StakeholderCategory).order_by(StakeholderCategory.sort_order),
    )


async def countries(session: AsyncSession) -> list[RefItem]:
    return await _cached(session, "countries", lambda: select(Country).order_by(Country.sort_order))


async def event_kinds(session: AsyncSession) -> list[RefItem]:
    return await _cached(
        session, "event_kinds", lambda: select(EventKind).order_by(EventKind.sort_order)
    )


@event.listens_for(Session, "after_flush")
def _changed(session: Session, _context: Any) -> None:
    for row in (*session.new, *session.dirty, *session.deleted):
        if isinstance(row, REFERENCE_MODELS):
            session.info["reference_changed"] = True
            invalidate()
            return


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    # Someone may have read the old rows between the flush and the commit.
    if session.info.pop("reference_changed", False):
        invalidate()
