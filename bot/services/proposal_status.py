"""The one way a proposal's status changes: history row, author told through the outbox."""

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import outbox
from db.models import Proposal, ProposalStatusChange, utcnow

# DOMAIN.md's lifecycle. Names for people live in bot/notices/proposals.py (gettext).
STATUSES = (
    "submitted",
    "published",
    "rejected",
    "withdrawn",
    "forwarded",
    "returned",
    "answered",
    "accepted",
    "partially-accepted",
    "declined",
    "implemented",
)
ALLOWED: dict[str, set[str]] = {
    "submitted": {"published", "rejected", "withdrawn"},
    "published": {"forwarded", "withdrawn", "rejected"},
    "forwarded": {"answered", "returned", *("accepted", "partially-accepted", "declined")},
    "returned": {"forwarded"},
    "answered": {"accepted", "partially-accepted", "declined", "implemented", "forwarded"},
    "accepted": {"implemented"},
    "partially-accepted": {"implemented"},
    "declined": set(),
    "implemented": set(),
    "rejected": set(),
    "withdrawn": set(),
}


class StatusChangeNotAllowed(ValueError):
    pass


async def change_status(
    session: AsyncSession,
    proposal: Proposal,
    status: str,
    *,
    actor_id: int | None,
    note: str | None = None,
    notify_author: bool = True,
) -> None:
    if status not in ALLOWED.get(proposal.status, set()):
        raise StatusChangeNotAllowed(f"{proposal.status} -> {status}")
    proposal.status = status
    proposal.updated_at = utcnow()
    session.add(
        ProposalStatusChange(proposal_id=proposal.id, status=status, note=note, actor_id=actor_id)
    )
    if notify_author:
        await outbox.enqueue(
            session,
            user_id=proposal.author_id,
            kind="proposal_status",
            template="proposal_status",
            params={"proposal_id": proposal.id, "status": status, "note": note or ""},
        )
    await session.flush()
