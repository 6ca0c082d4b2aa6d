"""Idempotent seeding of reference data: inserts missing codes, never overwrites edits."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import reference_data as ref
from db.models import Base, Country, EventKind, Region, StakeholderCategory, Topic

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
    await session.commit()
    return added
