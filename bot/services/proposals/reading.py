"""Reading proposals: what the public sees, pages of them, one person's own, a proposal's
history, and who may see, support or withdraw one."""

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.proposal_status import STATUSES
from db.models import AgencyAnswer, Proposal, ProposalStatusChange, User

PAGE_SIZE = 5
SEARCH_COUNT_CAP = 1000
# What the public sees: everything moderated in, except what was withdrawn or merged away.
PUBLIC_STATUSES = tuple(s for s in STATUSES if s not in ("submitted", "rejected", "withdrawn"))
WITHDRAWABLE = ("submitted", "published")


def _public() -> Select:  # type: ignore[type-arg]
    return select(Proposal).where(
        Proposal.status.in_(PUBLIC_STATUSES), Proposal.merged_into_id.is_(None)
    )


async def _page(session: AsyncSession, query: Select, page: int) -> tuple[list[Proposal], int]:  # type: ignore[type-arg]
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = await session.scalars(query.offset(page * PAGE_SIZE).limit(PAGE_SIZE))
    return list(rows), total or 0


async def browse(
    session: AsyncSession,
    *,
    region: str | None = None,
    topic: str | None = None,
    event_id: int | None = None,
    status: str | None = None,
    sort: str = "new",
    page: int = 0,
) -> tuple[list[Proposal], int]:
    """A page of public proposals and their number, at most SEARCH_COUNT_CAP."""
    query = _public()
    if region:
        query = query.where(Proposal.region_code == region)
    if topic:
        query = query.where(Proposal.topic_code == topic)
    if event_id:
        query = query.where(Proposal.event_id == event_id)
    if status:
        query = query.where(Proposal.status == status)
    if sort == "support":
        query = query.order_by(Proposal.support_count.desc(), Proposal.id.desc())
    else:
        query = query.order_by(Proposal.created_at.desc(), Proposal.id.desc())
    # The total stops at SEARCH_COUNT_CAP, as search's does: counting every public proposal
    # took hundreds of ms at 1,000,000, while the capped count walks the same index as the
    # page (0012_perf_indexes) and stops.
    capped = query.with_only_columns(Proposal.id).limit(SEARCH_COUNT_CAP).subquery()
    total = await session.scalar(select(func.count()).select_from(capped)) or 0
    rows = await session.scalars(query.offset(page * PAGE_SIZE).limit(PAGE_SIZE))
    return list(rows), total


async def mine(
    session: AsyncSession, author: User, page: int = 0, *, before_id: int | None = None
) -> tuple[list[Proposal], int]:
    """Newest first; the next page starts below the last id seen (`before_id`)."""
    query = select(Proposal).where(Proposal.author_id == author.id).order_by(Proposal.id.desc())
    if before_id is None:
        return await _page(session, query, page)
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = await session.scalars(query.where(Proposal.id < before_id).limit(PAGE_SIZE))
    return list(rows), total or 0


async def history(session: AsyncSession, proposal: Proposal) -> list[ProposalStatusChange]:
    query = (
        select(ProposalStatusChange)
        .where(ProposalStatusChange.proposal_id == proposal.id)
        .order_by(ProposalStatusChange.id)
    )
    return list(await session.scalars(query))


def is_public(proposal: Proposal) -> bool:
    """Whether everyone may read and support it: moderated in, not withdrawn, not merged."""
    return proposal.status in PUBLIC_STATUSES and proposal.merged_into_id is None


def visible_to(proposal: Proposal, user: User, *, organizer: bool) -> bool:
    return proposal.author_id == user.id or organizer or is_public(proposal)


def can_withdraw(proposal: Proposal, user: User) -> bool:
    return proposal.author_id == user.id and proposal.status in WITHDRAWABLE


async def agency_answer(session: AsyncSession, forwarding_id: int) -> AgencyAnswer | None:
    """The agency's answer to one forwarding of a proposal, if it has answered."""
    query = select(AgencyAnswer).where(AgencyAnswer.forwarding_id == forwarding_id)
    return await session.scalar(query)
