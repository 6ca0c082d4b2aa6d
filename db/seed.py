"""Idempotent seeding of reference data: inserts missing codes, never overwrites edits."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import reference_data as ref
from db.models import (
    Agency,
    Base,
    Country,
    EventKind,
    Region,
    StakeholderCategory,
    Topic,
    TopicRoute,
)

_TABLES: list[tuple[type[Base], list[tuple[str, str, str]]]] = [
    (Region, ref.REGIONS),
    (Topic, ref.TOPICS),
    (StakeholderCategory, ref.STAKEHOLDER_CATEGORIES),
    (Country, ref.COUNTRIES),
    (EventKind, ref.EVENT_KINDS),
]


async def seed_reference_data(session: AsyncSession) -> int:
    """Returns how many rows were added."""
    added = 0
    for model, rows in _TABLES:
        existing = set(await session.scalars(select(model.code)))  # type: ignore[attr-defined]
        for order, (code, name_ky, name_ru) in enumerate(rows):
            if code in existing:
                continue
            row = model(code=code, name_ky=name_ky, name_ru=name_ru, sort_order=order)
            if model is Region:
                row.is_residence = code not in ref.NOT_RESIDENCE  # type: ignore[attr-defined]
            session.add(row)
            added += 1
    await session.flush()
    added += await _seed_agencies(session)
    await session.commit()
    return added


async def _seed_agencies(session: AsyncSession) -> int:
    """The starter directory and topic routing; organizers edit both later."""
    existing = set(await session.scalars(select(Agency.code)))
    routed = set(await session.scalars(select(TopicRoute.topic_code)))
    added = 0
    for code, name_ky, name_ru, topics in ref.AGENCIES:
        if code in existing:
            continue
        short_ky, short_ru = ref.AGENCY_SHORT_NAMES.get(code, (None, None))
        agency = Agency(
            code=code,
            name_ky=name_ky,
            name_ru=name_ru,
            short_name_ky=short_ky,
            short_name_ru=short_ru,
            answer_days=14,
        )
        session.add(agency)
        await session.flush()
        added += 1
        for topic in topics:
            if topic not in routed:
                session.add(TopicRoute(topic_code=topic, agency_id=agency.id))
                routed.add(topic)
    return added
