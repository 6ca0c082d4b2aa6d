"""The open data: every published proposal as export rows, the agencies' records, and
the time of the last change (for freshness headers)."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.public.agency_pages import AgencyRow
from bot.services.public.proposal_pages import author_names, published_proposals
from db.models import (
    Agency,
    AgencyAnswer,
    AnswerSatisfaction,
    Draft,
    DraftComment,
    Event,
    EventSummary,
    Forwarding,
    Proposal,
    ProposalStatusChange,
)

EXPORT_CHUNK = 2000

EXPORT_FIELDS = (
    "id",
    "created_at",
    "region",
    "topic",
    "event_id",
    "status",
    "support_count",
    "author_name",
    "text",
    "agency",
    "forwarded_at",
    "due_at",
    "answered_at",
    "outcome",
    "answer",
    "author_satisfied",
)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


async def export_rows(session: AsyncSession) -> AsyncIterator[dict[str, Any]]:
    """Every published proposal, oldest first, read in chunks (keyset on id), with its latest
    forwarding and answer. The author's name only where they chose to be named."""
    codes = {a.id: a.code for a in await session.scalars(select(Agency))}
    last = 0
    while True:
        chunk = list(
            await session.scalars(
                published_proposals()
                .where(Proposal.id > last)
                .order_by(Proposal.id)
                .limit(EXPORT_CHUNK)
            )
        )
        if not chunk:
            return
        last = chunk[-1].id
        names = await author_names(session, chunk)
        ids = [p.id for p in chunk]
        forwarded: dict[int, tuple[Forwarding, AgencyAnswer | None, bool | None]] = {}
        answer: AgencyAnswer | None  # outer joins: a forwarding may have neither
        satisfied: bool | None
        rows = await session.execute(
            select(Forwarding, AgencyAnswer, AnswerSatisfaction.satisfied)
            .outerjoin(AgencyAnswer, AgencyAnswer.forwarding_id == Forwarding.id)
            .outerjoin(AnswerSatisfaction, AnswerSatisfaction.answer_id == AgencyAnswer.id)
            .where(Forwarding.proposal_id.in_(ids))
            .order_by(Forwarding.id)
        )
        for forwarding, answer, satisfied in rows.all():
            forwarded[forwarding.proposal_id] = (forwarding, answer, satisfied)
        for p in chunk:
            f, answer, satisfied = forwarded.get(p.id, (None, None, None))
            yield {
                "id": p.id,
                "created_at": _iso(p.created_at),
                "region": p.region_code,
                "topic": p.topic_code,
                "event_id": p.event_id,
                "status": p.status,
                "support_count": p.support_count,
                "author_name": names.get(p.id),
                "text": p.text,
                "agency": codes.get(f.agency_id) if f else None,
                "forwarded_at": _iso(f.forwarded_at) if f else None,
                "due_at": _iso(f.due_at) if f else None,
                "answered_at": _iso(f.answered_at) if f else None,
                "outcome": answer.outcome if answer else None,
                "answer": answer.text if answer else None,
                "author_satisfied": satisfied,
            }


AGENCY_FIELDS = (
    "code",
    "name_ky",
    "name_ru",
    "answer_days",
    "working_days",
    "forwarded",
    "answered",
    "answered_on_time",
    "open",
    "overdue_now",
    "median_days_to_answer",
    "satisfied_share",
)


def agency_record(row: AgencyRow) -> dict[str, Any]:
    return {
        "code": row.agency.code,
        "name_ky": row.agency.name_ky,
        "name_ru": row.agency.name_ru,
        "answer_days": row.agency.answer_days,
        "working_days": row.agency.working_days,
        "forwarded": row.forwarded,
        "answered": row.answered,
        "answered_on_time": row.answered_on_time,
        "open": row.open,
        "overdue_now": row.overdue,
        "median_days_to_answer": row.median_days,
        "satisfied_share": None if row.satisfied_share is None else round(row.satisfied_share, 3),
    }


async def last_change(session: AsyncSession, now: datetime) -> datetime | None:
    """The latest change to anything the site shows (a new or changed proposal, status,
    forwarding, answer, vote, event or summary, or an event that ended since; a draft
    published, closed or ended, a comment on it or a decision), in one statement of indexed
    look-ups (and the small tables of drafts and their decisions)."""
    latest = select(
        select(func.max(Proposal.updated_at)).scalar_subquery(),
        select(ProposalStatusChange.created_at)
        .order_by(ProposalStatusChange.id.desc())
        .limit(1)
        .scalar_subquery(),
        select(Forwarding.forwarded_at).order_by(Forwarding.id.desc()).limit(1).scalar_subquery(),
        select(AgencyAnswer.created_at).order_by(AgencyAnswer.id.desc()).limit(1).scalar_subquery(),
        select(func.max(AnswerSatisfaction.created_at)).scalar_subquery(),
        select(func.max(Event.updated_at)).scalar_subquery(),
        select(func.max(EventSummary.published_at)).scalar_subquery(),
        select(func.max(Event.ends_at)).where(Event.ends_at <= now).scalar_subquery(),
        select(func.max(Draft.opens_at)).scalar_subquery(),
        select(func.max(Draft.closed_at)).scalar_subquery(),
        select(func.max(Draft.closes_at)).where(Draft.closes_at <= now).scalar_subquery(),
        select(DraftComment.created_at).order_by(DraftComment.id.desc()).limit(1).scalar_subquery(),
        select(func.max(DraftComment.decided_at)).scalar_subquery(),
    )
    row = (await session.execute(latest)).one()
    found = [value if isinstance(value, datetime) else _parse(value) for value in row if value]
    return max(found, default=None)


def _parse(value: object) -> datetime:
    moment = datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
