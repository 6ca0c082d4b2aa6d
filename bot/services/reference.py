"""Reference data for pickers and labels: regions, topics, categories, countries, kinds."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Country, EventKind, Region, StakeholderCategory, Topic


async def residence_regions(session: AsyncSession) -> list[Region]:
    query = select(Region).where(Region.is_residence).order_by(Region.sort_order)
    return list(await session.scalars(query))


async def all_regions(session: AsyncSession) -> list[Region]:
    return list(await session.scalars(select(Region).order_by(Region.sort_order)))


async def topics(session: AsyncSession) -> list[Topic]:
    return list(await session.scalars(select(Topic).order_by(Topic.sort_order)))


async def categories(session: AsyncSession) -> list[StakeholderCategory]:
    query = select(StakeholderCategory).order_by(StakeholderCategory.sort_order)
    return list(await session.scalars(query))


async def countries(session: AsyncSession) -> list[Country]:
    return list(await session.scalars(select(Country).order_by(Country.sort_order)))


async def event_kinds(session: AsyncSession) -> list[EventKind]:
    return list(await session.scalars(select(EventKind).order_by(EventKind.sort_order)))
