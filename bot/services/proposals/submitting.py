"""Submitting a proposal: the draft the form collects, the checks, the daily limit."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import InvalidInput
from db.models import Proposal, ProposalStatusChange, Region, Topic, User, utcnow

TEXT_MIN, TEXT_MAX = 20, 4000


@dataclass
class ProposalDraft:
    topic_code: str
    region_code: str
    text: str
    is_anonymous: bool = False
    event_id: int | None = None
    attachment_kind: str | None = None
    attachment_file_id: str | None = None


def check_text(value: str) -> str:
    cleaned = value.strip()
    if len(cleaned) < TEXT_MIN:
        raise InvalidInput("proposal_too_short", length=len(cleaned), minimum=TEXT_MIN)
    if len(cleaned) > TEXT_MAX:
        raise InvalidInput("proposal_too_long", length=len(cleaned), maximum=TEXT_MAX)
    return cleaned


async def check_tags(session: AsyncSession, topic_code: str, region_code: str) -> None:
    if await session.get(Topic, topic_code) is None:
        raise InvalidInput("unknown_topic")
    if await session.get(Region, region_code) is None:
        raise InvalidInput("unknown_region")


async def submitted_today(session: AsyncSession, author: User, now: datetime) -> int:
    query = select(func.count()).where(
        Proposal.author_id == author.id, Proposal.created_at >= now - timedelta(days=1)
    )
    return await session.scalar(query) or 0


async def limit_reached(session: AsyncSession, author: User, *, daily_limit: int) -> bool:
    """Whether the person has sent as many proposals in the last 24 hours as allowed."""
    return await submitted_today(session, author, utcnow()) >= daily_limit


async def submit(
    session: AsyncSession, author: User, draft: ProposalDraft, *, daily_limit: int
) -> Proposal:
    if not author.is_registered:
        raise InvalidInput("registration_required")
    now = utcnow()
    if await submitted_today(session, author, now) >= daily_limit:
        raise InvalidInput("daily_limit", limit=daily_limit)
    await check_tags(session, draft.topic_code, draft.region_code)
    proposal = Proposal(
        author_id=author.id,
        event_id=draft.event_id,
        topic_code=draft.topic_code,
        region_code=draft.region_code,
        text=check_text(draft.text),
        is_anonymous=draft.is_anonymous,
        attachment_kind=draft.attachment_kind,
        attachment_file_id=draft.attachment_file_id,
        status="submitted",
        created_at=now,
    )
    session.add(proposal)
    await session.flush()
    session.add(
        ProposalStatusChange(proposal_id=proposal.id, status="submitted", actor_id=author.id)
    )
    await session.flush()
    return proposal
