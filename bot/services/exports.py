"""The rows of an event's registrants export (Excel and CSV): one row per registrant, with
the names of their category, region and country in the organizer's language. The caller
gives the words for genders and statuses (services do not translate)."""

from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import events
from db.models import Country, Region, StakeholderCategory


async def registrant_rows(
    session: AsyncSession, event_id: int, locale: str, tz: ZoneInfo, words: dict[str, str]
) -> list[list[object]]:
    """Code, name, gender, category, region, country, organisation, phone, status,
    registered at, attended at. `words` has the words for the genders and the statuses."""
    rows: list[list[object]] = []
    for item in await events.registrants(session, event_id):
        person, reg = item.user, item.registration
        category = (
            await session.get(StakeholderCategory, person.category_code)
            if person.category_code
            else None
        )
        region = await session.get(Region, person.region_code) if person.region_code else None
        country = await session.get(Country, person.country_code) if person.country_code else None
        rows.append(
            [
                reg.code,
                person.full_name or "",
                words.get(person.gender or "", ""),
                category.name(locale) if category else "",
                region.name(locale) if region else "",
                country.name(locale) if country else (person.country_other or ""),
                person.organisation or "",
                person.phone or "",
                words.get(reg.status, reg.status),
                events.format_local(reg.queued_at, tz),
                events.format_local(reg.attended_at, tz) if reg.attended_at else "",
            ]
        )
    return rows
