"""The agencies as the site shows them: the table of who answers and how fast, and one
agency's page with the proposals forwarded to it."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import agencies
from bot.services.proposals import PUBLIC_STATUSES
from db.dialect import is_postgres
from db.models import (
    Agency,
    AgencyAnswer,
    AnswerSatisfaction,
    Forwarding,
    Proposal,
)

AGENCY_ITEMS = 50


@dataclass
class AgencyRow:
    agency: Agency
    forwarded: int = 0
    answered: int = 0
    answered_on_time: int = 0
    open: int = 0
    overdue: int = 0
    median_days: float | None = None
    satisfied_share: float | None = None


def _days_between(session: AsyncSession, start: Any, end: Any) -> Any:
    if is_postgres(session):
        return func.extract("epoch", end - start) / 86400.0
    return func.julianday(end) - func.julianday(start)


async def agency_table(session: AsyncSession, now: datetime) -> list[AgencyRow]:
    """Every active agency with the figures of /agencies (agencies.figures, by the same rules),
    computed for all of them at once in the database; plus how many were answered on time."""
    rows = {
        agency.id: AgencyRow(agency)
        for agency in await session.scalars(
            select(Agency).where(Agency.is_active).order_by(Agency.name_ru)
        )
    }
    is_open = and_(Forwarding.answered_at.is_(None), Forwarding.returned_at.is_(None))
    counts = await session.execute(
        select(
            Forwarding.agency_id,
            func.count(),
            func.count(Forwarding.answered_at),
            func.sum(case((Forwarding.answered_at <= Forwarding.due_at, 1), else_=0)),
            func.sum(case((is_open, 1), else_=0)),
            func.sum(case((and_(is_open, Forwarding.due_at < now), 1), else_=0)),
        ).group_by(Forwarding.agency_id)
    )
    for agency_id, forwarded, answered, on_time, open_, overdue in counts.all():
        if agency_id in rows:
            row = rows[agency_id]
            row.forwarded, row.answered = forwarded, answered
            row.answered_on_time, row.open, row.overdue = on_time or 0, open_ or 0, overdue or 0
    # The median, in the database: the middle one or two of each agency's answer times.
    days = _days_between(session, Forwarding.forwarded_at, Forwarding.answered_at).label("days")
    ranked = (
        select(
            Forwarding.agency_id.label("agency_id"),
            days,
            func.row_number().over(partition_by=Forwarding.agency_id, order_by=days).label("rn"),
            func.count().over(partition_by=Forwarding.agency_id).label("n"),
        )
        .where(Forwarding.answered_at.is_not(None))
        .subquery()
    )
    n, rn = ranked.c.n, ranked.c.rn
    middle = select(ranked.c.agency_id, func.avg(ranked.c.days)).where(
        or_(rn == (n + 1) / 2, rn == (n + 2) / 2)
    )
    for agency_id, median in (await session.execute(middle.group_by(ranked.c.agency_id))).all():
        if agency_id in rows and median is not None:
            rows[agency_id].median_days = round(float(median), 1)
    votes = await session.execute(
        select(
            Forwarding.agency_id,
            func.count(),
            func.sum(case((AnswerSatisfaction.satisfied, 1), else_=0)),
        )
        .select_from(AnswerSatisfaction)
        .join(AgencyAnswer, AgencyAnswer.id == AnswerSatisfaction.answer_id)
        .join(Forwarding, Forwarding.id == AgencyAnswer.forwarding_id)
        .group_by(Forwarding.agency_id)
    )
    for agency_id, total, satisfied in votes.all():
        if agency_id in rows and total:
            rows[agency_id].satisfied_share = (satisfied or 0) / total
    return list(rows.values())


async def agency_by_code(session: AsyncSession, code: str) -> Agency | None:
    return await session.scalar(select(Agency).where(Agency.code == code, Agency.is_active))


@dataclass
class AgencyPage:
    agency: Agency
    figures: agencies.AgencyFigures
    open_items: list[tuple[Proposal, Forwarding]]
    answered_items: list[tuple[Proposal, Forwarding]]


async def agency_page(session: AsyncSession, agency: Agency, now: datetime) -> AgencyPage:
    """The agency's figures (agencies.figures, as in /agencies), its open items, oldest due
    first, and its latest answered ones."""
    base = (
        select(Proposal, Forwarding)
        .join(Forwarding, Forwarding.proposal_id == Proposal.id)
        .where(
            Forwarding.agency_id == agency.id,
            Proposal.status.in_(PUBLIC_STATUSES),
            Proposal.merged_into_id.is_(None),
        )
    )
    open_query = base.where(Forwarding.answered_at.is_(None), Forwarding.returned_at.is_(None))
    answered_query = base.where(Forwarding.answered_at.is_not(None))
    open_rows = await session.execute(
        open_query.order_by(Forwarding.due_at, Forwarding.id).limit(AGENCY_ITEMS)
    )
    answered_rows = await session.execute(
        answered_query.order_by(Forwarding.answered_at.desc(), Forwarding.id.desc()).limit(
            AGENCY_ITEMS
        )
    )
    return AgencyPage(
        agency,
        await agencies.figures(session, agency.id, now),
        [(p, f) for p, f in open_rows.all()],
        [(p, f) for p, f in answered_rows.all()],
    )
