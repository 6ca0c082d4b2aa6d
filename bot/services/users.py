"""People: creation on first contact, language, consent, registration, profile, erasure."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import validation
from bot.services.errors import InvalidInput
from db.models import (
    Country,
    FsmState,
    OutboxMessage,
    Region,
    StakeholderCategory,
    User,
    utcnow,
)

GENDERS = ("female", "male")
CONSENT_GIVEN, CONSENT_DECLINED = "given", "declined"
PROFILE_FIELDS = ("full_name", "residence", "category", "gender", "organisation", "phone")
# Every update reads its person: the statements are built once, not on each update.
_PERSON_BY_TELEGRAM_ID = select(User).where(User.telegram_id == bindparam("telegram_id"))
# ...and, without Redis, the row of their conversation: both in one statement.
_PERSON_AND_CONVERSATION = (
    select(User, FsmState)
    .outerjoin(FsmState, FsmState.key == bindparam("key"))
    .where(User.telegram_id == bindparam("telegram_id"))
)
# session.info: telegram id -> the person read along with their conversation
_PEOPLE_READ = "people_read"


@dataclass
class Profile:
    full_name: str
    region_code: str
    category_code: str
    country_code: str | None = None
    country_other: str | None = None
    gender: str | None = None
    organisation: str | None = None
    phone: str | None = None


async def get_or_create(
    session: AsyncSession, *, telegram_id: int, language: str | None = None
) -> User:
    """The person, created on first contact with `language` (their Telegram app's, when it
    is one we speak): one INSERT, not an INSERT and an UPDATE."""
    user = session.info.get(_PEOPLE_READ, {}).get(telegram_id)
    if user is None or user not in session:  # not read yet, or deleted since
        user = await session.scalar(_PERSON_BY_TELEGRAM_ID, {"telegram_id": telegram_id})
    if user is None:
        user = User(telegram_id=telegram_id, language=language)
        session.add(user)
        await session.flush()
    elif not user.is_reachable:
        # They wrote to us, so they have not blocked the bot (any more).
        user.is_reachable = True
    return user


async def person_and_conversation(
    session: AsyncSession, telegram_id: int, conversation_key: str
) -> tuple[User, FsmState | None] | None:
    """The person and their conversation's row (None when they have none), read together:
    every update needs both, and a statement costs more than the rows. None when the person
    is not known yet. `get_or_create` then finds the person without reading again."""
    row = (
        await session.execute(
            _PERSON_AND_CONVERSATION, {"telegram_id": telegram_id, "key": conversation_key}
        )
    ).first()
    if row is None:
        return None
    user, conversation = row
    session.info.setdefault(_PEOPLE_READ, {})[telegram_id] = user
    return user, conversation


async def language_of(session: AsyncSession, telegram_id: int) -> str | None:
    """The language a person chose, read without creating them (the error handler)."""
    return await session.scalar(select(User.language).where(User.telegram_id == telegram_id))


async def set_language(session: AsyncSession, user: User, language: str) -> None:
    if language not in ("ky", "ru"):
        raise InvalidInput("unknown_language")
    user.language = language
    await session.flush()


async def record_consent(session: AsyncSession, user: User, agreed: bool) -> None:
    user.consent = CONSENT_GIVEN if agreed else CONSENT_DECLINED
    user.consent_at = utcnow() if agreed else None
    await session.flush()


async def check_region(session: AsyncSession, code: str, *, residence: bool) -> Region:
    region = await session.get(Region, code)
    if region is None or (residence and not region.is_residence):
        raise InvalidInput("unknown_region")
    return region


async def check_category(session: AsyncSession, code: str) -> StakeholderCategory:
    category = await session.get(StakeholderCategory, code)
    if category is None:
        raise InvalidInput("unknown_category")
    return category


async def check_country(session: AsyncSession, code: str) -> Country:
    country = await session.get(Country, code)
    if country is None:
        raise InvalidInput("unknown_country")
    return country


def check_gender(value: str | None) -> str | None:
    if value is not None and value not in GENDERS:
        raise InvalidInput("unknown_gender")
    return value


async def complete_registration(session: AsyncSession, user: User, profile: Profile) -> None:
    """Writes the whole profile at once: an abandoned registration leaves nothing half-saved."""
    if user.consent != CONSENT_GIVEN:
        raise InvalidInput("consent_required")
    await check_region(session, profile.region_code, residence=True)
    await check_category(session, profile.category_code)
    abroad = profile.region_code == "abroad"
    if abroad and profile.country_code:
        await check_country(session, profile.country_code)
    user.full_name = validation.full_name(profile.full_name)
    user.region_code = profile.region_code
    user.country_code = profile.country_code if abroad else None
    user.country_other = (
        validation.country_name(profile.country_other) if abroad and profile.country_other else None
    )
    user.category_code = profile.category_code
    user.gender = check_gender(profile.gender)
    user.organisation = (
        validation.organisation(profile.organisation) if profile.organisation else None
    )
    user.phone = profile.phone
    user.registered_at = user.registered_at or utcnow()
    await session.flush()


async def update_residence(
    session: AsyncSession,
    user: User,
    region_code: str,
    country_code: str | None = None,
    country_other: str | None = None,
) -> None:
    await check_region(session, region_code, residence=True)
    abroad = region_code == "abroad"
    if abroad and country_code:
        await check_country(session, country_code)
    user.region_code = region_code
    user.country_code = country_code if abroad else None
    user.country_other = (
        validation.country_name(country_other) if abroad and country_other else None
    )
    await session.flush()


async def update_field(
    session: AsyncSession, user: User, field: str, answers: dict[str, Any]
) -> None:
    """One field of the profile, edited from /profile; validated like at registration."""
    if not user.is_registered:
        raise InvalidInput("registration_required")
    if field == "residence":
        await update_residence(
            session,
            user,
            answers["region_code"],
            answers.get("country_code"),
            answers.get("country_other"),
        )
    elif field == "full_name":
        user.full_name = validation.full_name(answers["full_name"])
    elif field == "category":
        await check_category(session, answers["category_code"])
        user.category_code = answers["category_code"]
    elif field == "gender":
        user.gender = check_gender(answers["gender"])
    elif field == "organisation":
        value = answers["organisation"]
        user.organisation = validation.organisation(value) if value else None
    elif field == "phone":
        user.phone = answers["phone"]
    else:
        raise InvalidInput("unknown_field")
    await session.flush()


async def toggle_announcements(session: AsyncSession, user: User) -> bool:
    """Announcements on or off (answers and reminders reach the person either way)."""
    user.announcements_enabled = not user.announcements_enabled
    await session.flush()
    return user.announcements_enabled


async def erase_personal_data(session: AsyncSession, user: User) -> None:
    """/deleteme: personal fields and pending messages go; the Telegram id and language stay,
    so the bot can still answer, and proposals stay, unattributed."""
    for field in (
        "consent",
        "consent_at",
        "full_name",
        "region_code",
        "country_code",
        "country_other",
        "category_code",
        "gender",
        "organisation",
        "phone",
        "registered_at",
        "time_zone",
    ):
        setattr(user, field, None)
    await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.user_id == user.id, OutboxMessage.status == "pending"
        )
    )
    # Half-typed answers of an interrupted conversation are personal data too.
    await session.execute(delete(FsmState).where(FsmState.key.like(f"%:{user.telegram_id}:%")))
    await session.flush()


def is_admin(admin_ids: frozenset[int], user: User) -> bool:
    return user.telegram_id in admin_ids


def can_organize(admin_ids: frozenset[int], user: User) -> bool:
    return user.is_organizer or is_admin(admin_ids, user)


async def organizers(session: AsyncSession) -> list[User]:
    query = select(User).where(User.is_organizer).order_by(User.full_name, User.id)
    return list(await session.scalars(query))


async def set_organizer(session: AsyncSession, telegram_id: int, value: bool) -> User | None:
    person = await session.scalar(select(User).where(User.telegram_id == telegram_id))
    if person is not None:
        person.is_organizer = value
        await session.flush()
    return person
