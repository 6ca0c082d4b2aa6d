"""The figures a report needs: who registered (gender, category, region, countries abroad),
who waits and who came, and the list of registrants behind them."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.events.states import CANCELLED, WAITING
from db.models import Country, Region, Registration, StakeholderCategory, User


@dataclass
class EventStats:
    registered: int = 0
    attended: int = 0
    waiting: int = 0
    women: int = 0
    men: int = 0
    gender_not_given: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    by_region: dict[str, int] = field(default_factory=dict)
    by_country: dict[str, int] = field(default_factory=dict)


@dataclass
class Registrant:
    registration: Registration
    user: User


async def registrants(session: AsyncSession, event_id: int) -> list[Registrant]:
    """Registered and waiting people, seated first, in order of registration."""
    query = (
        select(Registration, User)
        .join(User, User.id == Registration.user_id)
        .where(Registration.event_id == event_id, Registration.status != CANCELLED)
        .order_by(Registration.status, Registration.queued_at, Registration.id)
    )
    return [Registrant(reg, user) for reg, user in (await session.execute(query)).all()]


def _count(counter: dict[str, int], key: str) -> None:
    counter[key] = counter.get(key, 0) + 1


async def stats(session: AsyncSession, event_id: int, locale: str) -> EventStats:
    """Registered people (gender, category, region, countries abroad) and attendance.
    Category, region and country keys are names in `locale`."""
    names: dict[tuple[str, str], str] = {}
    for model in (Region, StakeholderCategory, Country):
        for row in await session.scalars(select(model)):
            names[(model.__tablename__, row.code)] = row.name(locale)  # type: ignore[attr-defined]
    result = EventStats()
    for item in await registrants(session, event_id):
        reg, person = item.registration, item.user
        if reg.status == WAITING:
            result.waiting += 1
            continue
        result.registered += 1
        if reg.attended_at is not None:
            result.attended += 1
        if person.gender == "female":
            result.women += 1
        elif person.gender == "male":
            result.men += 1
        else:
            result.gender_not_given += 1
        if person.category_code:
            _count(result.by_category, names[("stakeholder_categories", person.category_code)])
        if person.region_code:
            _count(result.by_region, names[("regions", person.region_code)])
        if person.lives_abroad:
            country = (
                names[("countries", person.country_code)]
                if person.country_code
                else person.country_other or "?"
            )
            _count(result.by_country, country)
    return result
