"""The authors' word on an agency's answer (did it answer?) and the agencies' figures for
organizers: forwarded, answered, overdue, median days, authors satisfied."""

import statistics
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import InvalidInput, NotAllowed
from db.models import AgencyAnswer, AnswerSatisfaction, Forwarding, Proposal, User


@dataclass
class AgencyFigures:
    forwarded: int
    answered: int
    open: int
    overdue: int
    median_days: float | None
    satisfied_share: float | None
    oldest_open_at: datetime | None


async def figures(session: AsyncSession, agency_id: int, now: datetime) -> AgencyFigures:
    rows = (
        await session.execute(
            select(
                Forwarding.forwarded_at,
                Forwarding.answered_at,
                Forwarding.returned_at,
                Forwarding.due_at,
            ).where(Forwarding.agency_id == agency_id)
        )
    ).all()
    answered = [(a - f).total_seconds() / 86400 for f, a, _, _ in rows if a]
    open_rows = [(f, d) for f, a, r, d in rows if not a and not r]
    votes = list(
        await session.scalars(
            select(AnswerSatisfaction.satisfied)
            .join(AgencyAnswer, AgencyAnswer.id == AnswerSatisfaction.answer_id)
            .join(Forwarding, Forwarding.id == AgencyAnswer.forwarding_id)
            .where(Forwarding.agency_id == agency_id)
        )
    )
    return AgencyFigures(
        forwarded=len(rows),
        answered=len(answered),
        open=len(open_rows),
        overdue=sum(1 for _, d in open_rows if d < now),
        median_days=round(statistics.median(answered), 1) if answered else None,
        satisfied_share=sum(votes) / len(votes) if votes else None,
        oldest_open_at=min((f for f, _ in open_rows), default=None),
    )


async def record_satisfaction(
    session: AsyncSession, answer_id: int, user: User, satisfied: bool
) -> None:
    reply = await session.get(AgencyAnswer, answer_id)
    forwarding = await session.get(Forwarding, reply.forwarding_id) if reply else None
    proposal = await session.get(Proposal, forwarding.proposal_id) if forwarding else None
    if proposal is None or proposal.author_id != user.id:
        raise NotAllowed("not_author")
    if await session.get(AnswerSatisfaction, answer_id):
        raise InvalidInput("already_answered")
    session.add(AnswerSatisfaction(answer_id=answer_id, user_id=user.id, satisfied=satisfied))
    await session.flush()
