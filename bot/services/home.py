"""The figures of the home screens: what waits for an organizer, what is due for a
representative. A few COUNT queries, so the screen opens fast however big the forum."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AgencyRepresentative, Event, Forwarding, Proposal, User

# A representative's item counts as due when its answer is due within this time.
DUE_SOON = timedelta(days=3)


@dataclass
class OrganizerFigures:
    to_moderate: int
    overdue_items: int
    upcoming_events: int


@dataclass
class RepresentativeFigures:
    open: int
    due_soon: int
    overdue: int


def _open_items() -> list[ColumnElement[bool]]:
    return [Forwarding.answered_at.is_(None), Forwarding.returned_at.is_(None)]


async def organizer_figures(session: AsyncSession, now: datetime) -> OrganizerFigures:
    count = func.count()
    to_moderate = await session.scalar(
        select(count).select_from(Proposal).where(Proposal.status == "submitted")
    )
    overdue = await session.scalar(
        select(count).select_from(Forwarding).where(*_open_items(), Forwarding.due_at < now)
    )
    upcoming = await session.scalar(
        select(count).select_from(Event).where(Event.status == "published", Event.ends_at > now)
    )
    return OrganizerFigures(to_moderate or 0, overdue or 0, upcoming or 0)


async def representative_figures(
    session: AsyncSession, user: User, now: datetime
) -> RepresentativeFigures:
    rows = await session.scalars(
        select(Forwarding.due_at)
        .join(AgencyRepresentative, AgencyRepresentative.agency_id == Forwarding.agency_id)
        .where(AgencyRepresentative.user_id == user.id, *_open_items())
    )
    due = list(rows)
    return RepresentativeFigures(
        open=len(due),
        due_soon=sum(1 for d in due if now <= d < now + DUE_SOON),
        overdue=sum(1 for d in due if d < now),
    )
