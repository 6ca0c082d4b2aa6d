"""The directory: agencies, their topics' routes and their representatives."""

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import outbox
from bot.services.errors import InvalidInput
from db.models import (
    Agency,
    AgencyRepresentative,
    Proposal,
    Topic,
    TopicRoute,
    User,
)


async def get_agency(session: AsyncSession, agency_id: int) -> Agency | None:
    return await session.get(Agency, agency_id)


async def active_agency(session: AsyncSession, agency_id: int) -> Agency | None:
    """The agency, unless it is retired (or gone): its directory buttons no longer work."""
    agency = await session.get(Agency, agency_id)
    return agency if agency is not None and agency.is_active else None


async def agency_by_code(
    session: AsyncSession, code: str, *, active_only: bool = False
) -> Agency | None:
    query = select(Agency).where(Agency.code == code)
    if active_only:
        query = query.where(Agency.is_active)
    return await session.scalar(query)


async def active_agencies(session: AsyncSession) -> list[Agency]:
    """The agencies proposals can be forwarded to, by code."""
    return list(await session.scalars(select(Agency).where(Agency.is_active).order_by(Agency.code)))


async def add_agency(
    session: AsyncSession,
    code: str,
    name_ky: str,
    name_ru: str,
    answer_days: int = 14,
    working_days: bool = False,
) -> Agency:
    code = code.strip().lower()
    if not code or not (name_ky.strip() or name_ru.strip()):
        raise InvalidInput("agency_name_missing")
    if not 1 <= answer_days <= 365:
        raise InvalidInput("answer_days_range", low=1, high=365)
    if await session.scalar(select(Agency.id).where(Agency.code == code)):
        raise InvalidInput("agency_code_taken", code=code)
    agency = Agency(
        code=code,
        name_ky=name_ky.strip() or name_ru.strip(),
        name_ru=name_ru.strip() or name_ky.strip(),
        answer_days=answer_days,
        working_days=working_days,
        is_active=True,
    )
    session.add(agency)
    await session.flush()
    return agency


async def edit_agency(
    session: AsyncSession,
    agency: Agency,
    *,
    name_ky: str | None = None,
    name_ru: str | None = None,
    answer_days: int | None = None,
    working_days: bool | None = None,
) -> None:
    if answer_days is not None and not 1 <= answer_days <= 365:
        raise InvalidInput("answer_days_range", low=1, high=365)
    if name_ky is not None and name_ky.strip():
        agency.name_ky = name_ky.strip()
    if name_ru is not None and name_ru.strip():
        agency.name_ru = name_ru.strip()
    if answer_days is not None:
        agency.answer_days = answer_days  # applies to items forwarded from now on
    if working_days is not None:
        agency.working_days = working_days


async def retire_agency(session: AsyncSession, agency: Agency) -> None:
    """No new forwardings; open items stay open and followed up."""
    agency.is_active = False


async def set_route(session: AsyncSession, topic_code: str, agency_id: int | None) -> None:
    route = await session.get(TopicRoute, topic_code)
    if agency_id is None:
        if route:
            await session.delete(route)
    elif route:
        route.agency_id = agency_id
    else:
        session.add(TopicRoute(topic_code=topic_code, agency_id=agency_id))
    await session.flush()


async def default_agency(session: AsyncSession, topic_code: str) -> Agency | None:
    return await session.scalar(
        select(Agency)
        .join(TopicRoute, TopicRoute.agency_id == Agency.id)
        .where(TopicRoute.topic_code == topic_code, Agency.is_active.is_(True))
    )


async def is_representative(session: AsyncSession, user: User, agency_id: int) -> bool:
    return bool(
        await session.scalar(
            select(AgencyRepresentative.id).where(
                AgencyRepresentative.agency_id == agency_id, AgencyRepresentative.user_id == user.id
            )
        )
    )


async def representatives(session: AsyncSession, agency_id: int) -> list[int]:
    return list(
        await session.scalars(
            select(AgencyRepresentative.user_id).where(AgencyRepresentative.agency_id == agency_id)
        )
    )


async def representative_users(session: AsyncSession, agency_id: int) -> list[User]:
    """The agency's representatives, the earliest first."""
    rows = await session.scalars(
        select(User)
        .join(AgencyRepresentative, AgencyRepresentative.user_id == User.id)
        .where(AgencyRepresentative.agency_id == agency_id)
        .order_by(AgencyRepresentative.id)
    )
    return list(rows)


async def remove_representative(session: AsyncSession, agency: Agency, user_id: int) -> User | None:
    """Someone who left the agency no longer gets its items; they are told. Returns them, or
    None when they were not (or no longer) a representative."""
    removed = await session.execute(
        delete(AgencyRepresentative).where(
            AgencyRepresentative.agency_id == agency.id, AgencyRepresentative.user_id == user_id
        )
    )
    if not removed.rowcount:  # type: ignore[attr-defined]
        return None
    await outbox.enqueue(
        session,
        user_id=user_id,
        kind="agency_representative_removed",
        template="agency_representative_removed",
        params=_agency_params(agency),
    )
    return await session.get(User, user_id)


async def topic_routes(session: AsyncSession) -> list[tuple[Topic, Agency | None]]:
    """Every topic, in its order, with the agency that gets its proposals (None: by hand)."""
    return [
        (topic, await default_agency(session, topic.code))
        for topic in await session.scalars(select(Topic).order_by(Topic.sort_order))
    ]


async def route_topic(
    session: AsyncSession, topic_code: str, agency_id: int
) -> tuple[Topic, Agency | None]:
    """Routes a topic's proposals to an active agency (agency_id 0: to nobody, by hand)."""
    topic = await session.get(Topic, topic_code)
    agency = await session.get(Agency, agency_id) if agency_id else None
    if topic is None or (agency is not None and not agency.is_active):
        raise InvalidInput("route_invalid")
    await set_route(session, topic.code, agency.id if agency else None)
    return topic, agency


def _agency_params(agency: Agency) -> dict[str, object]:
    return {"agency_id": agency.id, "agency_ky": agency.name_ky, "agency_ru": agency.name_ru}


async def unrouted(session: AsyncSession) -> list[Proposal]:
    """Published proposals whose topic has no (active) agency: to route by hand."""
    routed = (
        select(TopicRoute.topic_code)
        .join(Agency, Agency.id == TopicRoute.agency_id)
        .where(Agency.is_active.is_(True))
    )
    rows = await session.scalars(
        select(Proposal)
        .where(Proposal.status.in_(("published", "returned")), Proposal.topic_code.not_in(routed))
        .order_by(Proposal.id)
    )
    return list(rows)


async def organizer_ids(session: AsyncSession, admin_telegram_ids: frozenset[int]) -> list[int]:
    rows = await session.scalars(
        select(User.id).where(
            User.is_organizer.is_(True) | User.telegram_id.in_(admin_telegram_ids)
        )
    )
    return list(rows)
