"""Registered participants written straight into the database, for tests whose subject is
not registration itself (the registration journey has its own end-to-end tests)."""

from dataclasses import dataclass

from db.models import User, utcnow
from tests.db_fixtures import session_on


@dataclass
class Participant:
    telegram_id: int
    language: str = "ky"
    region_code: str = "bishkek"
    category_code: str = "citizen"
    full_name: str = "Айгүл Асанова"
    gender: str | None = None
    country_code: str | None = None
    is_organizer: bool = False


async def add_participants(database_url: str, *people: Participant) -> None:
    async with session_on(database_url) as session:
        for person in people:
            session.add(
                User(
                    telegram_id=person.telegram_id,
                    language=person.language,
                    consent="given",
                    consent_at=utcnow(),
                    full_name=person.full_name,
                    region_code=person.region_code,
                    country_code=person.country_code,
                    category_code=person.category_code,
                    gender=person.gender,
                    is_organizer=person.is_organizer,
                    registered_at=utcnow(),
                )
            )
        await session.commit()
