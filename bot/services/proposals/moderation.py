"""Moderation and the author's own actions: the queue, approve, reject, retag, merge a
duplicate, withdraw. Status changes go through proposal_status.change_status (history +
notice)."""

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import outbox
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.proposal_status import change_status
from bot.services.proposals.reading import PAGE_SIZE, WITHDRAWABLE
from bot.services.proposals.submitting import check_tags
from db.models import Proposal, ProposalStatusChange, ProposalSupport, User


async def moderation_queue(session: AsyncSession, after_id: int = 0) -> tuple[list[Proposal], int]:
    """Oldest first, the page after the last id seen: publishing some of a page does not
    make the next page skip any. The total is of everything still waiting."""
    waiting = select(Proposal).where(Proposal.status == "submitted")
    total = await session.scalar(select(func.count()).select_from(waiting.subquery()))
    rows = await session.scalars(
        waiting.where(Proposal.id > after_id).order_by(Proposal.id).limit(PAGE_SIZE)
    )
    return list(rows), total or 0


async def approve(session: AsyncSession, proposal: Proposal, actor: User) -> None:
    await change_status(session, proposal, "published", actor_id=actor.id)


async def reject(session: AsyncSession, proposal: Proposal, actor: User, reason: str) -> None:
    reason = reason.strip()
    if not 3 <= len(reason) <= 1000:
        raise InvalidInput("reason_length", minimum=3, maximum=1000)
    await change_status(session, proposal, "rejected", actor_id=actor.id, note=reason)


async def retag(
    session: AsyncSession, proposal: Proposal, *, topic_code: str, region_code: str
) -> None:
    await check_tags(session, topic_code, region_code)
    proposal.topic_code, proposal.region_code = topic_code, region_code
    await session.flush()


async def withdraw(session: AsyncSession, proposal: Proposal, author: User) -> None:
    if proposal.author_id != author.id:
        raise NotAllowed("not the author")
    if proposal.status not in WITHDRAWABLE:
        raise InvalidInput("not_withdrawable")
    await change_status(session, proposal, "withdrawn", actor_id=author.id)


async def merge(session: AsyncSession, duplicate: Proposal, target: Proposal, actor: User) -> int:
    """The duplicate's supporters (and its author) carry over to the target, each counted
    once; the duplicate no longer shows on its own. Returns the target's new support count."""
    if duplicate.id == target.id or target.merged_into_id is not None:
        raise InvalidInput("bad_merge")
    carried = select(ProposalSupport.user_id).where(ProposalSupport.proposal_id == duplicate.id)
    already = select(ProposalSupport.user_id).where(ProposalSupport.proposal_id == target.id)
    supporters = set(await session.scalars(carried))
    for user_id in sorted(supporters | {duplicate.author_id}):
        await outbox.enqueue(
            session,
            user_id=user_id,
            kind="proposal_merged",
            template="proposal_merged",
            params={"from_id": duplicate.id, "into_id": target.id},
            dedupe_key=f"merged:{duplicate.id}:{user_id}",
        )
    newcomers = supporters | {duplicate.author_id}
    newcomers -= set(await session.scalars(already)) | {target.author_id}
    for user_id in newcomers:
        session.add(ProposalSupport(proposal_id=target.id, user_id=user_id))
    await session.execute(
        delete(ProposalSupport).where(ProposalSupport.proposal_id == duplicate.id)
    )
    duplicate.merged_into_id = target.id
    duplicate.support_count = 0
    await session.flush()
    target.support_count = (
        await session.scalar(select(func.count()).where(ProposalSupport.proposal_id == target.id))
        or 0
    )
    session.add(
        ProposalStatusChange(
            proposal_id=duplicate.id,
            status=duplicate.status,
            note=f"merged into #{target.id}",
            actor_id=actor.id,
        )
    )
    await session.flush()
    return target.support_count
