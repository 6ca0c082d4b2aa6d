"""Figures for organizers: proposals by region and by topic, registrations per event, and the
proposals export with status history. Names are in the organizer's `locale`."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import events
from db.models import Event, Proposal, ProposalStatusChange, Region, Registration, Topic, User

EVENTS_SHOWN = 10


@dataclass
class Figures:
    by_region: list[tuple[str, int]]
    by_topic: list[tuple[str, int]]
    per_event: list[tuple[str, int]]


async def _names(session: AsyncSession, model: type[Region] | type[Topic], locale: str) -> dict:
    rows: list[Region | Topic] = list(await session.scalars(select(model)))  # type: ignore[arg-type]
    return {row.code: row.name(locale) for row in rows}


def _sorted(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


async def figures(session: AsyncSession, locale: str) -> Figures:
    """Proposals (withdrawn and rejected ones left out) by region and topic; seated
    registrations of the latest events."""
    counted = Proposal.status.not_in(("withdrawn", "rejected"))
    regions, topics = await _names(session, Region, locale), await _names(session, Topic, locale)
    by_region = await session.execute(
        select(Proposal.region_code, func.count()).where(counted).group_by(Proposal.region_code)
    )
    by_topic = await session.execute(
        select(Proposal.topic_code, func.count()).where(counted).group_by(Proposal.topic_code)
    )
    latest = (
        select(Event)
        .where(Event.status != events.DRAFT)
        .order_by(Event.starts_at.desc())
        .limit(EVENTS_SHOWN)
    )
    per_event = []
    for event in await session.scalars(latest):
        count = await session.scalar(
            select(func.count()).where(
                Registration.event_id == event.id, Registration.status == events.REGISTERED
            )
        )
        per_event.append((event.title(locale), count or 0))
    return Figures(
        by_region=_sorted({regions.get(code, code): n for code, n in by_region.all()}),
        by_topic=_sorted({topics.get(code, code): n for code, n in by_topic.all()}),
        per_event=per_event,
    )


async def proposal_rows(
    session: AsyncSession, locale: str, tz: ZoneInfo, status_name: object, event_id: int = 0
) -> list[list[object]]:
    """Every proposal (or those sent to one event), oldest first, with its status history as
    one cell.
    `status_name(status) -> str` gives the status in the organizer's language."""
    regions, topics = await _names(session, Region, locale), await _names(session, Topic, locale)
    titles = {e.id: e.title(locale) for e in await session.scalars(select(Event))}
    history: dict[int, list[str]] = {}
    changes = select(ProposalStatusChange).order_by(ProposalStatusChange.id)
    for change in await session.scalars(changes):
        line = f"{_local(change.created_at, tz)} {status_name(change.status)}"  # type: ignore[operator]
        history.setdefault(change.proposal_id, []).append(
            f"{line}: {change.note}" if change.note else line
        )
    query = select(Proposal, User).join(User, User.id == Proposal.author_id).order_by(Proposal.id)
    if event_id:
        query = query.where(Proposal.event_id == event_id)
    rows: list[list[object]] = []
    for proposal, author in (await session.execute(query)).all():
        rows.append(
            [
                proposal.id,
                _local(proposal.created_at, tz),
                titles.get(proposal.event_id, "") if proposal.event_id else "",
                topics.get(proposal.topic_code, proposal.topic_code),
                regions.get(proposal.region_code, proposal.region_code),
                status_name(proposal.status),  # type: ignore[operator]
                proposal.support_count,
                author.full_name or "",
                proposal.is_anonymous,
                proposal.text,
                "\n".join(history.get(proposal.id, [])),
            ]
        )
    return rows


def _local(moment: datetime, tz: ZoneInfo) -> str:
    return events.format_local(moment, tz)
