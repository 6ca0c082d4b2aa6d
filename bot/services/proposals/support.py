"""A person's support for a public proposal: add it, take it back, who supports one."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import InvalidInput
from bot.services.proposals.reading import is_public
from db.models import Proposal, ProposalSupport, User


async def support(session: AsyncSession, proposal: Proposal, user: User) -> bool:
    """Adds the person's support; pressing again (a double tap, an older copy of the card)
    changes nothing. Returns whether this call added it."""
    if not is_public(proposal):
        raise InvalidInput("not_supportable")
    if proposal.author_id == user.id:
        raise InvalidInput("own_proposal")
    if await session.get(ProposalSupport, (proposal.id, user.id)) is not None:
        return False
    session.add(ProposalSupport(proposal_id=proposal.id, user_id=user.id))
    proposal.support_count += 1
    await session.flush()
    return True


async def take_back_support(session: AsyncSession, proposal: Proposal, user: User) -> bool:
    """Removes the person's support, if there is one; returns whether this call removed it."""
    existing = await session.get(ProposalSupport, (proposal.id, user.id))
    if existing is None:
        return False
    await session.delete(existing)
    proposal.support_count = max(0, proposal.support_count - 1)
    await session.flush()
    return True


async def supports(session: AsyncSession, proposal: Proposal, user: User) -> bool:
    return await session.get(ProposalSupport, (proposal.id, user.id)) is not None


async def support_state(session: AsyncSession, proposal: Proposal, user: User) -> bool | None:
    """Whether the person supports the proposal, or None where they cannot (their own, or
    one that is not public)."""
    if not is_public(proposal) or proposal.author_id == user.id:
        return None
    return await supports(session, proposal, user)


async def supporter_ids(session: AsyncSession, proposal_id: int) -> list[int]:
    query = select(ProposalSupport.user_id).where(ProposalSupport.proposal_id == proposal_id)
    return list(await session.scalars(query))
