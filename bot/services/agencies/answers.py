"""A representative's reply to an item: the answer, "not our competence", more days; and the
author's word on whether the answer answered."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.agencies.calendar import (
    DEFAULT_SCHEDULE,
    DUE_HOUR,
    Schedule,
    add_days,
    holidays_between,
    next_slot_after,
)
from bot.services.agencies.directory import is_representative
from bot.services.agencies.forwarding import item_params, notify
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.proposal_status import change_status
from db.models import (
    Agency,
    AgencyAnswer,
    Forwarding,
    Proposal,
    ProposalStatusChange,
    ProposalSupport,
    User,
    utcnow,
)

OUTCOMES = ("accepted", "partially-accepted", "declined", "implemented", "in-progress")


async def _open_forwarding(session: AsyncSession, forwarding_id: int, user: User) -> Forwarding:
    forwarding = await session.get(Forwarding, forwarding_id, with_for_update=True)
    if forwarding is None or not await is_representative(session, user, forwarding.agency_id):
        raise NotAllowed("not_representative")
    if forwarding.answered_at or forwarding.returned_at:
        raise InvalidInput("item_closed")
    return forwarding


async def _item_of(session: AsyncSession, forwarding: Forwarding) -> tuple[Proposal, Agency]:
    """The proposal and the agency of an item."""
    proposal = await session.get(Proposal, forwarding.proposal_id)
    agency = await session.get(Agency, forwarding.agency_id)
    assert proposal and agency
    return proposal, agency


def _required(text: str, reason: str) -> str:
    """The text stripped; InvalidInput(reason) when nothing is left."""
    text = text.strip()
    if not text:
        raise InvalidInput(reason)
    return text


def _close(forwarding: Forwarding) -> None:
    forwarding.next_reminder_at = None
    forwarding.escalate_at = None


async def return_to_organizers(
    session: AsyncSession,
    forwarding_id: int,
    user: User,
    reason: str,
    organizer_ids: list[int],
    now: datetime | None = None,
) -> Forwarding:
    """Not our competence: back to the organizers with the reason, to forward elsewhere."""
    now = now or utcnow()
    reason = _required(reason, "reason_missing")
    forwarding = await _open_forwarding(session, forwarding_id, user)
    forwarding.returned_at, forwarding.return_reason = now, reason
    _close(forwarding)
    proposal, agency = await _item_of(session, forwarding)
    await change_status(session, proposal, "returned", actor_id=user.id, note=reason)
    params = {**item_params(forwarding, proposal, agency), "reason": reason}
    for organizer_id in organizer_ids:
        await notify(
            session, forwarding, organizer_id, "agency_returned", params, f"returned:{organizer_id}"
        )
    return forwarding


async def extend(
    session: AsyncSession,
    forwarding_id: int,
    user: User,
    days: int,
    reason: str,
    tz: ZoneInfo,
    schedule: Schedule = DEFAULT_SCHEDULE,
    now: datetime | None = None,
) -> Forwarding:
    """Once per item, up to the agency's answer time again; the author sees the reason."""
    now = now or utcnow()
    forwarding = await _open_forwarding(session, forwarding_id, user)
    proposal, agency = await _item_of(session, forwarding)
    if forwarding.extended_at is not None:
        raise InvalidInput("already_extended")
    if not 1 <= days <= agency.answer_days:
        raise InvalidInput("extension_range", low=1, high=agency.answer_days)
    reason = _required(reason, "reason_missing")
    start = forwarding.due_at.astimezone(tz).date()
    holidays = await holidays_between(session, start, start + timedelta(days=days * 3 + 30))
    new_day = add_days(start, days, working=agency.working_days, holidays=holidays)
    forwarding.due_at = datetime.combine(new_day, DUE_HOUR, tz).astimezone(UTC)
    forwarding.extended_at, forwarding.extension_reason = now, reason
    forwarding.next_reminder_at = next_slot_after(forwarding.due_at, now, schedule)
    forwarding.escalate_at = forwarding.due_at + timedelta(days=schedule.escalate_after)
    params = {**item_params(forwarding, proposal, agency), "reason": reason}
    await notify(session, forwarding, proposal.author_id, "agency_extension", params, "extension")
    # The proposal's history keeps the move and its reason; the organizer who forwarded it
    # is told (the new due date is on the proposal's card).
    session.add(
        ProposalStatusChange(
            proposal_id=proposal.id, status=proposal.status, actor_id=user.id, note=f"⏳ {reason}"
        )
    )
    if forwarding.forwarded_by is not None:
        await notify(
            session,
            forwarding,
            forwarding.forwarded_by,
            "agency_extension_organizer",
            params,
            "extension:organizer",
            kind="agency_extension",
        )
    await session.flush()
    return forwarding


async def answer(
    session: AsyncSession,
    forwarding_id: int,
    user: User,
    text: str,
    outcome: str,
    schedule: Schedule = DEFAULT_SCHEDULE,
    document_file_id: str | None = None,
    next_update_on: date | None = None,
    now: datetime | None = None,
) -> AgencyAnswer:
    now = now or utcnow()
    text = _required(text, "answer_missing")
    if outcome not in OUTCOMES:
        raise InvalidInput("outcome_unknown")
    if outcome == "in-progress" and (next_update_on is None or next_update_on <= now.date()):
        raise InvalidInput("next_update_missing")
    forwarding = await _open_forwarding(session, forwarding_id, user)
    forwarding.answered_at, forwarding.outcome = now, outcome
    _close(forwarding)
    reply = AgencyAnswer(
        forwarding_id=forwarding.id,
        author_id=user.id,
        text=text,
        outcome=outcome,
        document_file_id=document_file_id,
        next_update_on=next_update_on,
        satisfaction_ask_at=now + timedelta(days=schedule.satisfaction_after),
        created_at=now,
    )
    session.add(reply)
    await session.flush()
    proposal, agency = await _item_of(session, forwarding)
    # "in progress" keeps the proposal answered; the other outcomes are statuses of their own.
    await change_status(session, proposal, "answered", actor_id=user.id, notify_author=False)
    if outcome in ("accepted", "partially-accepted", "declined"):
        await change_status(session, proposal, outcome, actor_id=user.id, notify_author=False)
    elif outcome == "implemented":
        await change_status(session, proposal, "accepted", actor_id=user.id, notify_author=False)
        await change_status(session, proposal, "implemented", actor_id=user.id, notify_author=False)
    supporters = await session.scalars(
        select(ProposalSupport.user_id).where(ProposalSupport.proposal_id == proposal.id)
    )
    params = {
        **item_params(forwarding, proposal, agency),
        "answer": text,
        "outcome": outcome,
        "next_update_on": next_update_on.isoformat() if next_update_on else None,
    }
    for user_id in {proposal.author_id, *supporters}:
        await notify(
            session,
            forwarding,
            user_id,
            "agency_answer",
            {**params, "is_author": user_id == proposal.author_id},
            f"answer:{user_id}",
            document_file_id=document_file_id,
        )
    return reply
