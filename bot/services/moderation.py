"""Moderation in bulk: publish every proposal of a page of the queue that still waits."""

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import button_lists, proposals
from db.models import Proposal, User


async def approve_kept(session: AsyncSession, token: str, actor: User) -> int:
    """Publishes the proposals kept under `token` (button_lists) that are still submitted;
    returns how many it published."""
    published = 0
    for proposal_id in await button_lists.read_ids(session, token):
        proposal = await session.get(Proposal, proposal_id)
        if proposal is not None and proposal.status == "submitted":
            await proposals.approve(session, proposal, actor)
            published += 1
    return published
