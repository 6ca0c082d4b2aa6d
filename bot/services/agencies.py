"""Responsible agencies: directory, invitations, forwarding, answers and the follow-up sweeps.

Due dates are 09:00 local time on the due day. Reminder slots of one forwarding: the due date
minus `remind_before` days, the due date, then every `remind_every` days after it. Each open
forwarding keeps the time of its next slot in the indexed next_reminder_at; a sweep picks the
rows whose slot has come (in chunks), queues ONE message for the latest slot passed (so after
downtime there is one message per item, not one per missed slot) and moves next_reminder_at
to the first slot after now. Answered or returned rows have next_reminder_at NULL."""

import hashlib
import secrets
import statistics
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, case, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import outbox
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.proposal_status import change_status
from db.dialect import insert_for, is_postgres
from db.models import (
    Agency,
    AgencyAnswer,
    AgencyInvitation,
    AgencyRepresentative,
    AnswerSatisfaction,
    Forwarding,
    Holiday,
    OutboxMessage,
    Proposal,
    ProposalStatusChange,
    ProposalSupport,
    TopicRoute,
    User,
    utcnow,
)

OUTCOMES = ("accepted", "partially-accepted", "declined", "implemented", "in-progress")
DUE_HOUR = time(9, 0)
# Rows per chunk of a sweep: tens of milliseconds of work (and of SQLite's write lock) each.
CHUNK = 200


@dataclass(frozen=True)
class Schedule:
    remind_before: int = 3
    remind_every: int = 3
    escalate_after: int = 7
    satisfaction_after: int = 7
    tz: str = "Asia/Bishkek"


# --- due dates ------------------------------------------------------------------------------


async def holidays_between(session: AsyncSession, start: date, end: date) -> set[date]:
    rows = await session.scalars(select(Holiday.day).where(Holiday.day.between(start, end)))
    return set(rows)


def add_days(start: date, days: int, *, working: bool, holidays: set[date]) -> date:
    """`days` calendar days after start, or `days` working days (weekends and holidays skipped)."""
    if not working:
        return start + timedelta(days=days)
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    return day


async def due_after(
    session: AsyncSession, agency: Agency, start: datetime, tz: ZoneInfo
) -> datetime:
    first = start.astimezone(tz).date()
    # Working days never stretch more than about 2.5x: generous window for the holidays lookup.
    holidays = await holidays_between(
        session, first, first + timedelta(days=agency.answer_days * 3 + 30)
    )
    day = add_days(first, agency.answer_days, working=agency.working_days, holidays=holidays)
    return datetime.combine(day, DUE_HOUR, tz).astimezone(UTC)


def overdue_days(due_at: datetime, now: datetime, tz: ZoneInfo) -> int:
    """Whole local days past the due date (0 when not overdue)."""
    return max(0, (now.astimezone(tz).date() - due_at.astimezone(tz).date()).days)


def next_slot_after(due_at: datetime, now: datetime, schedule: Schedule) -> datetime:
    before = due_at - timedelta(days=schedule.remind_before)
    if now < before:
        return before
    if now < due_at:
        return due_at
    every = timedelta(days=schedule.remind_every)
    passed = (now - due_at) // every
    return due_at + every * (passed + 1)


def slot_name(due_at: datetime, now: datetime, schedule: Schedule) -> str:
    """The latest slot at or before now: "before", "due" or "late<k>"."""
    if now < due_at:
        return "before"
    k = (now - due_at) // timedelta(days=schedule.remind_every)
    return "due" if k == 0 else f"late{k}"


# --- directory and representatives ----------------------------------------------------------


async def add_agency(
    session: AsyncSession,
    code: str,
    name_ky: str,
    name_ru: str,
    answer_days: int = 14,
    working_days: bool = False,
) -> Agency:
    code = code.strip().lower()
    if not code or not (name_ky.strip() or name_ru.strip()):
        raise InvalidInput("agency_name_missing")
    if not 1 <= answer_days <= 365:
        raise InvalidInput("answer_days_range", low=1, high=365)
    if await session.scalar(select(Agency.id).where(Agency.code == code)):
        raise InvalidInput("agency_code_taken", code=code)
    agency = Agency(
        code=code,
        name_ky=name_ky.strip() or name_ru.strip(),
        name_ru=name_ru.strip() or name_ky.strip(),
        answer_days=answer_days,
        working_days=working_days,
        is_active=True,
    )
    session.add(agency)
    await session.flush()
    return agency


async def edit_agency(
    session: AsyncSession,
    agency: Agency,
    *,
    name_ky: str | None = None,
    name_ru: str | None = None,
    answer_days: int | None = None,
    working_days: bool | None = None,
) -> None:
    if answer_days is not None and not 1 <= answer_days <= 365:
        raise InvalidInput("answer_days_range", low=1, high=365)
    if name_ky is not None and name_ky.strip():
        agency.name_ky = name_ky.strip()
    if name_ru is not None and name_ru.strip():
        agency.name_ru = name_ru.strip()
    if answer_days is not None:
        agency.answer_days = answer_days  # applies to items forwarded from now on
    if working_days is not None:
        agency.working_days = working_days


async def retire_agency(session: AsyncSession, agency: Agency) -> None:
    """No new forwardings; open items stay open and followed up."""
    agency.is_active = False


async def add_holiday(session: AsyncSession, day: date, name_ky: str, name_ru: str) -> None:
    """Organizers add the movable feasts (Orozo Ait, Kurman Ait) announced each year."""
    name_ky, name_ru = name_ky.strip(), name_ru.strip()
    if await session.get(Holiday, day) is None:
        session.add(Holiday(day=day, name_ky=name_ky or name_ru, name_ru=name_ru or name_ky))
        await session.flush()


async def set_route(session: AsyncSession, topic_code: str, agency_id: int | None) -> None:
    route = await session.get(TopicRoute, topic_code)
    if agency_id is None:
        if route:
            await session.delete(route)
    elif route:
        route.agency_id = agency_id
    else:
        session.add(TopicRoute(topic_code=topic_code, agency_id=agency_id))
    await session.flush()


async def default_agency(session: AsyncSession, topic_code: str) -> Agency | None:
    return await session.scalar(
        select(Agency)
        .join(TopicRoute, TopicRoute.agency_id == Agency.id)
        .where(TopicRoute.topic_code == topic_code, Agency.is_active.is_(True))
    )


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_invitation(
    session: AsyncSession,
    agency: Agency,
    organizer: User,
    *,
    days: int = 7,
    now: datetime | None = None,
) -> tuple[AgencyInvitation, str]:
    """Returns the invitation and its token (shown once; only its hash is stored)."""
    token = secrets.token_urlsafe(24)
    invitation = AgencyInvitation(
        agency_id=agency.id,
        token_hash=_hash(token),
        created_by=organizer.id,
        expires_at=(now or utcnow()) + timedelta(days=days),
    )
    session.add(invitation)
    await session.flush()
    return invitation, token


async def open_invitations(
    session: AsyncSession, agency_id: int, now: datetime
) -> list[AgencyInvitation]:
    rows = await session.scalars(
        select(AgencyInvitation)
        .where(
            AgencyInvitation.agency_id == agency_id,
            AgencyInvitation.used_at.is_(None),
            AgencyInvitation.revoked_at.is_(None),
            AgencyInvitation.expires_at > now,
        )
        .order_by(AgencyInvitation.id)
    )
    return list(rows)


async def revoke_invitation(session: AsyncSession, invitation_id: int, now: datetime) -> None:
    invitation = await session.get(AgencyInvitation, invitation_id)
    if invitation and invitation.used_at is None:
        invitation.revoked_at = invitation.revoked_at or now


async def accept_invitation(
    session: AsyncSession, token: str, user: User, now: datetime | None = None
) -> Agency:
    """Makes the user a representative; the token works once, before it expires."""
    now = now or utcnow()
    # Claim it with one conditional UPDATE so two people opening the same link race safely.
    claimed = await session.execute(
        update(AgencyInvitation)
        .where(
            AgencyInvitation.token_hash == _hash(token),
            AgencyInvitation.used_at.is_(None),
            AgencyInvitation.revoked_at.is_(None),
            AgencyInvitation.expires_at > now,
        )
        .values(used_at=now, used_by=user.id)
        .returning(AgencyInvitation.agency_id)
    )
    agency_id = claimed.scalar()
    if agency_id is None:
        raise InvalidInput("invitation_invalid")
    if not await is_representative(session, user, agency_id):
        session.add(AgencyRepresentative(agency_id=agency_id, user_id=user.id))
    await session.flush()
    agency = await session.get(Agency, agency_id)
    assert agency is not None
    return agency


async def is_representative(session: AsyncSession, user: User, agency_id: int) -> bool:
    return bool(
        await session.scalar(
            select(AgencyRepresentative.id).where(
                AgencyRepresentative.agency_id == agency_id, AgencyRepresentative.user_id == user.id
            )
        )
    )


async def representatives(session: AsyncSession, agency_id: int) -> list[int]:
    return list(
        await session.scalars(
            select(AgencyRepresentative.user_id).where(AgencyRepresentative.agency_id == agency_id)
        )
    )


async def representative_users(session: AsyncSession, agency_id: int) -> list[User]:
    """The agency's representatives, the earliest first."""
    rows = await session.scalars(
        select(User)
        .join(AgencyRepresentative, AgencyRepresentative.user_id == User.id)
        .where(AgencyRepresentative.agency_id == agency_id)
        .order_by(AgencyRepresentative.id)
    )
    return list(rows)


async def remove_representative(session: AsyncSession, agency: Agency, user_id: int) -> bool:
    """Someone who left the agency no longer gets its items; they are told. False when they
    were not (or no longer) a representative."""
    removed = await session.execute(
        delete(AgencyRepresentative).where(
            AgencyRepresentative.agency_id == agency.id, AgencyRepresentative.user_id == user_id
        )
    )
    if not removed.rowcount:  # type: ignore[attr-defined]
        return False
    await outbox.enqueue(
        session,
        user_id=user_id,
        kind="agency_representative_removed",
        template="agency_representative_removed",
        params=_agency_params(agency),
    )
    return True


# --- forwarding and answers -----------------------------------------------------------------


def _agency_params(agency: Agency) -> dict[str, object]:
    return {"agency_id": agency.id, "agency_ky": agency.name_ky, "agency_ru": agency.name_ru}


async def forward(
    session: AsyncSession,
    proposal: Proposal,
    agency: Agency,
    organizer: User,
    tz: ZoneInfo,
    schedule: Schedule = Schedule(),
    now: datetime | None = None,
) -> Forwarding:
    now = now or utcnow()
    if not agency.is_active:
        raise InvalidInput("agency_retired")
    if proposal.status not in ("published", "returned"):
        raise InvalidInput("proposal_not_forwardable", status=proposal.status)
    due_at = await due_after(session, agency, now, tz)
    forwarding = Forwarding(
        proposal_id=proposal.id,
        agency_id=agency.id,
        forwarded_by=organizer.id,
        forwarded_at=now,
        due_at=due_at,
        next_reminder_at=next_slot_after(due_at, now, schedule),
        escalate_at=due_at + timedelta(days=schedule.escalate_after),
    )
    session.add(forwarding)
    await session.flush()
    await change_status(session, proposal, "forwarded", actor_id=organizer.id)
    for user_id in await representatives(session, agency.id):
        await outbox.enqueue(
            session,
            user_id=user_id,
            kind="agency_item",
            template="agency_item",
            params=item_params(forwarding, proposal, agency),
            dedupe_key=f"fwd:{forwarding.id}:card:{user_id}",
        )
    return forwarding


@dataclass(frozen=True)
class EventForwardingPlan:
    """Where an event's published proposals would go: agency id -> proposal ids, and the
    proposals whose topic has no agency (they wait in the route-by-hand list)."""

    by_agency: dict[int, list[int]]
    unrouted: list[int]

    @property
    def routed(self) -> int:
        return sum(len(ids) for ids in self.by_agency.values())


async def plan_event_forwarding(session: AsyncSession, event_id: int) -> EventForwardingPlan:
    by_agency: dict[int, list[int]] = {}
    unrouted: list[int] = []
    rows = await session.scalars(
        select(Proposal)
        .where(Proposal.event_id == event_id, Proposal.status == "published")
        .order_by(Proposal.id)
    )
    agency_of_topic: dict[str, Agency | None] = {}
    for proposal in rows:
        topic = proposal.topic_code
        if topic not in agency_of_topic:  # one lookup per topic, not per proposal
            agency_of_topic[topic] = await default_agency(session, topic)
        agency = agency_of_topic[topic]
        if agency is None:
            unrouted.append(proposal.id)
        else:
            by_agency.setdefault(agency.id, []).append(proposal.id)
    return EventForwardingPlan(by_agency, unrouted)


async def forward_event(
    session: AsyncSession,
    event_id: int,
    organizer: User,
    tz: ZoneInfo,
    schedule: Schedule = Schedule(),
    now: datetime | None = None,
) -> EventForwardingPlan:
    """Forwards every published proposal of the event to its topic's agency; returns what
    went where, and what is left for routing by hand."""
    plan = await plan_event_forwarding(session, event_id)
    done: dict[int, list[int]] = {}
    for agency_id, proposal_ids in plan.by_agency.items():
        agency = await session.get_one(Agency, agency_id)
        for proposal_id in proposal_ids:
            # Locked and read again: another organizer may have forwarded it meanwhile.
            proposal = await session.get_one(
                Proposal, proposal_id, with_for_update=True, populate_existing=True
            )
            if proposal.status == "published":
                await forward(session, proposal, agency, organizer, tz, schedule, now)
                done.setdefault(agency_id, []).append(proposal_id)
    return EventForwardingPlan(done, plan.unrouted)


def item_params(forwarding: Forwarding, proposal: Proposal, agency: Agency) -> dict[str, object]:
    return {
        **_agency_params(agency),
        "forwarding_id": forwarding.id,
        "proposal_id": proposal.id,
        "text": proposal.text,
        "due_at": forwarding.due_at.isoformat(),
    }


async def _open_forwarding(session: AsyncSession, forwarding_id: int, user: User) -> Forwarding:
    forwarding = await session.get(Forwarding, forwarding_id, with_for_update=True)
    if forwarding is None or not await is_representative(session, user, forwarding.agency_id):
        raise NotAllowed("not_representative")
    if forwarding.answered_at or forwarding.returned_at:
        raise InvalidInput("item_closed")
    return forwarding


def _close(forwarding: Forwarding, now: datetime) -> None:
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
    reason = reason.strip()
    if not reason:
        raise InvalidInput("reason_missing")
    forwarding = await _open_forwarding(session, forwarding_id, user)
    forwarding.returned_at, forwarding.return_reason = now, reason
    _close(forwarding, now)
    proposal = await session.get(Proposal, forwarding.proposal_id)
    agency = await session.get(Agency, forwarding.agency_id)
    assert proposal and agency
    await change_status(session, proposal, "returned", actor_id=user.id, note=reason)
    for organizer_id in organizer_ids:
        await outbox.enqueue(
            session,
            user_id=organizer_id,
            kind="agency_returned",
            template="agency_returned",
            params={**item_params(forwarding, proposal, agency), "reason": reason},
            dedupe_key=f"fwd:{forwarding.id}:returned:{organizer_id}",
        )
    return forwarding


async def extend(
    session: AsyncSession,
    forwarding_id: int,
    user: User,
    days: int,
    reason: str,
    tz: ZoneInfo,
    schedule: Schedule = Schedule(),
    now: datetime | None = None,
) -> Forwarding:
    """Once per item, up to the agency's answer time again; the author sees the reason."""
    now = now or utcnow()
    forwarding = await _open_forwarding(session, forwarding_id, user)
    agency = await session.get(Agency, forwarding.agency_id)
    assert agency
    if forwarding.extended_at is not None:
        raise InvalidInput("already_extended")
    if not 1 <= days <= agency.answer_days:
        raise InvalidInput("extension_range", low=1, high=agency.answer_days)
    if not reason.strip():
        raise InvalidInput("reason_missing")
    start = forwarding.due_at.astimezone(tz).date()
    holidays = await holidays_between(session, start, start + timedelta(days=days * 3 + 30))
    new_day = add_days(start, days, working=agency.working_days, holidays=holidays)
    forwarding.due_at = datetime.combine(new_day, DUE_HOUR, tz).astimezone(UTC)
    forwarding.extended_at, forwarding.extension_reason = now, reason.strip()
    forwarding.next_reminder_at = next_slot_after(forwarding.due_at, now, schedule)
    forwarding.escalate_at = forwarding.due_at + timedelta(days=schedule.escalate_after)
    proposal = await session.get(Proposal, forwarding.proposal_id)
    assert proposal
    await outbox.enqueue(
        session,
        user_id=proposal.author_id,
        kind="agency_extension",
        template="agency_extension",
        params={**item_params(forwarding, proposal, agency), "reason": reason.strip()},
        dedupe_key=f"fwd:{forwarding.id}:extension",
    )
    # The proposal's history keeps the move and its reason; the organizer who forwarded it
    # is told (the new due date is on the proposal's card).
    session.add(
        ProposalStatusChange(
            proposal_id=proposal.id,
            status=proposal.status,
            actor_id=user.id,
            note=f"⏳ {reason.strip()}",
        )
    )
    if forwarding.forwarded_by is not None:
        await outbox.enqueue(
            session,
            user_id=forwarding.forwarded_by,
            kind="agency_extension",
            template="agency_extension_organizer",
            params={**item_params(forwarding, proposal, agency), "reason": reason.strip()},
            dedupe_key=f"fwd:{forwarding.id}:extension:organizer",
        )
    await session.flush()
    return forwarding


async def answer(
    session: AsyncSession,
    forwarding_id: int,
    user: User,
    text: str,
    outcome: str,
    schedule: Schedule = Schedule(),
    document_file_id: str | None = None,
    next_update_on: date | None = None,
    now: datetime | None = None,
) -> AgencyAnswer:
    now = now or utcnow()
    text = text.strip()
    if not text:
        raise InvalidInput("answer_missing")
    if outcome not in OUTCOMES:
        raise InvalidInput("outcome_unknown")
    if outcome == "in-progress" and (next_update_on is None or next_update_on <= now.date()):
        raise InvalidInput("next_update_missing")
    forwarding = await _open_forwarding(session, forwarding_id, user)
    forwarding.answered_at, forwarding.outcome = now, outcome
    _close(forwarding, now)
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
    proposal = await session.get(Proposal, forwarding.proposal_id)
    agency = await session.get(Agency, forwarding.agency_id)
    assert proposal and agency
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
        await outbox.enqueue(
            session,
            user_id=user_id,
            kind="agency_answer",
            template="agency_answer",
            params={**params, "is_author": user_id == proposal.author_id},
            dedupe_key=f"fwd:{forwarding.id}:answer:{user_id}",
            attachment_kind="document" if document_file_id else None,
            attachment_ref=document_file_id,
        )
    return reply


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


async def open_items(session: AsyncSession, user: User) -> list[Forwarding]:
    """The open items of every agency the user represents, the most overdue first."""
    rows = await session.scalars(
        select(Forwarding)
        .join(AgencyRepresentative, AgencyRepresentative.agency_id == Forwarding.agency_id)
        .where(
            AgencyRepresentative.user_id == user.id,
            Forwarding.answered_at.is_(None),
            Forwarding.returned_at.is_(None),
        )
        .order_by(Forwarding.due_at, Forwarding.id)
    )
    return list(rows)


async def current_forwarding(session: AsyncSession, proposal_id: int) -> Forwarding | None:
    """The latest forwarding of a proposal (for its card: due date, overdue by N days)."""
    return await session.scalar(
        select(Forwarding)
        .where(Forwarding.proposal_id == proposal_id)
        .order_by(Forwarding.id.desc())
        .limit(1)
    )


async def unrouted(session: AsyncSession) -> list[Proposal]:
    """Published proposals whose topic has no (active) agency: to route by hand."""
    routed = (
        select(TopicRoute.topic_code)
        .join(Agency, Agency.id == TopicRoute.agency_id)
        .where(Agency.is_active.is_(True))
    )
    rows = await session.scalars(
        select(Proposal)
        .where(Proposal.status.in_(("published", "returned")), Proposal.topic_code.not_in(routed))
        .order_by(Proposal.id)
    )
    return list(rows)


# --- figures --------------------------------------------------------------------------------


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


async def _enqueue_many(session: AsyncSession, messages: list[dict[str, object]]) -> int:
    """One multi-row INSERT into the outbox; rows whose dedupe_key exists are skipped."""
    if not messages:
        return 0
    now = utcnow()
    rows = [
        {**m, "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now}
        for m in messages
    ]
    insert = insert_for(session)
    # One statement batched by SQLAlchemy's insertmanyvalues; RETURNING counts the rows
    # really inserted on both backends (asyncpg reports no rowcount for executemany).
    table = OutboxMessage.__table__
    result = await session.execute(
        insert(table).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(table.c.id),
        rows,
    )
    return len(result.all())


# --- sweeps ---------------------------------------------------------------------------------


# A sweep works through what is due CHUNK rows at a time and, given `between` (the scheduler
# passes the session's commit), ends the transaction after each chunk: on SQLite a chunk holds
# the write lock for tens of milliseconds, and replies go out between chunks. Each chunk queues
# its messages and clears or advances its rows in the same transaction, so stopping between
# chunks loses nothing and sends nothing twice.
Between = Callable[[], Awaitable[None]] | None


async def _queue_and_clear(
    session: AsyncSession,
    messages: list[dict[str, object]],
    due: Any,
    ids: list[int],
    between: Between,
) -> int:
    """Queues a chunk's messages and clears the column (`due`) that made its rows due, in
    the same transaction, then ends the transaction (`between`)."""
    queued = await _enqueue_many(session, messages)
    table = due.class_.__table__
    await session.execute(update(table).where(table.c.id.in_(ids)).values({due.key: None}))
    if between is not None:
        await between()
    return queued


async def followup_due(session: AsyncSession, now: datetime, organizer_ids: list[int]) -> bool:
    """Whether the follow-up sweep has anything to do: read-only, so an idle bot writes nothing."""
    for column in (Forwarding.next_reminder_at, Forwarding.escalate_at):
        if await session.scalar(select(column).where(column <= now).limit(1)) is not None:
            return True
    asked = AgencyAnswer.satisfaction_ask_at
    if await session.scalar(select(asked).where(asked <= now).limit(1)) is not None:
        return True
    return bool(await _digests_missing(session, now, organizer_ids))


async def queue_due_reminders(
    session: AsyncSession,
    now: datetime,
    schedule: Schedule,
    *,
    chunk: int = CHUNK,
    between: Between = None,
) -> int:
    """One reminder per open item whose slot has come, to each representative of its agency."""
    queued = 0
    tz = ZoneInfo(schedule.tz)
    while True:
        rows = (
            await session.execute(
                select(
                    Forwarding.id, Forwarding.agency_id, Forwarding.proposal_id, Forwarding.due_at
                )
                .where(Forwarding.next_reminder_at <= now)
                .order_by(Forwarding.next_reminder_at)
                .limit(chunk)
            )
        ).all()
        if not rows:
            return queued
        reps: dict[int, list[int]] = {}
        for agency_id in {row.agency_id for row in rows}:
            reps[agency_id] = await representatives(session, agency_id)
        messages = []
        for row in rows:
            slot = slot_name(row.due_at, now, schedule)
            params = {
                "forwarding_id": row.id,
                "proposal_id": row.proposal_id,
                "slot": slot,
                "late_days": overdue_days(row.due_at, now, tz),
                "due_at": row.due_at.isoformat(),
            }
            for user_id in reps[row.agency_id]:
                messages.append(
                    {
                        "user_id": user_id,
                        "kind": "agency_reminder",
                        "template": "agency_reminder",
                        "params": params,
                        "dedupe_key": f"fwd:{row.id}:{row.due_at:%Y%m%d}:{slot}:{user_id}",
                    }
                )
        queued += await _enqueue_many(session, messages)
        await session.execute(
            update(Forwarding.__table__)  # type: ignore[arg-type]  # a Table, typed FromClause
            .where(Forwarding.__table__.c.id == bindparam("row_id"))
            .values(next_reminder_at=bindparam("next_at")),
            [
                {"row_id": row.id, "next_at": next_slot_after(row.due_at, now, schedule)}
                for row in rows
            ],
        )
        if between is not None:
            await between()


async def queue_escalations(
    session: AsyncSession,
    now: datetime,
    organizer_ids: list[int],
    schedule: Schedule = Schedule(),
    *,
    chunk: int = CHUNK,
    between: Between = None,
) -> int:
    """Tells every organizer once about each item left unanswered past escalate_at."""
    queued = 0
    tz = ZoneInfo(schedule.tz)
    while True:
        rows = (
            await session.execute(
                select(
                    Forwarding.id,
                    Forwarding.due_at,
                    Forwarding.proposal_id,
                    Proposal.text,
                    Agency.id.label("agency_id"),
                    Agency.name_ky,
                    Agency.name_ru,
                )
                .join(Proposal, Proposal.id == Forwarding.proposal_id)
                .join(Agency, Agency.id == Forwarding.agency_id)
                .where(Forwarding.escalate_at <= now)
                .order_by(Forwarding.escalate_at)
                .limit(chunk)
            )
        ).all()
        if not rows:
            return queued
        messages = []
        for row in rows:
            params = {  # as item_params() builds them, from plain columns
                "agency_id": row.agency_id,
                "agency_ky": row.name_ky,
                "agency_ru": row.name_ru,
                "forwarding_id": row.id,
                "proposal_id": row.proposal_id,
                "text": row.text,
                "due_at": row.due_at.isoformat(),
                "late_days": overdue_days(row.due_at, now, tz),
            }
            for organizer_id in organizer_ids:
                messages.append(
                    {
                        "user_id": organizer_id,
                        "kind": "agency_escalation",
                        "template": "agency_escalation",
                        "params": params,
                        "dedupe_key": f"fwd:{row.id}:{row.due_at:%Y%m%d}:escalate:{organizer_id}",
                    }
                )
        ids = [row.id for row in rows]
        queued += await _queue_and_clear(session, messages, Forwarding.escalate_at, ids, between)


async def queue_satisfaction_questions(
    session: AsyncSession, now: datetime, *, chunk: int = CHUNK, between: Between = None
) -> int:
    queued = 0
    while True:
        rows = (
            await session.execute(
                select(
                    AgencyAnswer.id,
                    AgencyAnswer.text.label("answer"),
                    Proposal.id.label("proposal_id"),
                    Proposal.author_id,
                    Agency.id.label("agency_id"),
                    Agency.name_ky,
                    Agency.name_ru,
                )
                .join(Forwarding, Forwarding.id == AgencyAnswer.forwarding_id)
                .join(Proposal, Proposal.id == Forwarding.proposal_id)
                .join(Agency, Agency.id == Forwarding.agency_id)
                .where(AgencyAnswer.satisfaction_ask_at <= now)
                .order_by(AgencyAnswer.satisfaction_ask_at)
                .limit(chunk)
            )
        ).all()
        if not rows:
            return queued
        # The question shows who answered and what (the author knows their own proposal).
        messages: list[dict[str, object]] = [
            {
                "user_id": row.author_id,
                "kind": "agency_satisfaction",
                "template": "agency_satisfaction",
                "params": {
                    "agency_id": row.agency_id,
                    "agency_ky": row.name_ky,
                    "agency_ru": row.name_ru,
                    "answer_id": row.id,
                    "proposal_id": row.proposal_id,
                    "answer": row.answer,
                },
                "dedupe_key": f"answer:{row.id}:satisfaction",
            }
            for row in rows
        ]
        ids = [row.id for row in rows]
        asked = AgencyAnswer.satisfaction_ask_at
        queued += await _queue_and_clear(session, messages, asked, ids, between)


def _digest_key(agency_id: int, now: datetime, organizer_id: int) -> str:
    year, week, _ = now.isocalendar()
    return f"digest:{agency_id}:{year}-{week}:{organizer_id}"


async def _digests_missing(
    session: AsyncSession, now: datetime, organizer_ids: list[int]
) -> list[int]:
    """Active agencies with forwarded items whose digest of this ISO week some organizer
    has not been queued yet."""
    if not organizer_ids:
        return []
    agency_ids = list(
        await session.scalars(
            select(Agency.id)
            .where(
                Agency.is_active.is_(True),
                select(Forwarding.id).where(Forwarding.agency_id == Agency.id).exists(),
            )
            .order_by(Agency.id)
        )
    )
    wanted = {_digest_key(a, now, o): a for a in agency_ids for o in organizer_ids}
    if not wanted:
        return []
    queued = set(
        await session.scalars(
            select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(list(wanted)))
        )
    )
    return sorted({agency_id for key, agency_id in wanted.items() if key not in queued})


async def _digest_figures(
    session: AsyncSession, agency_ids: list[int], now: datetime
) -> dict[int, dict[str, object]]:
    """figures() of several agencies, the digest's part of it, counted by the database
    (figures() reads every row of an agency: seconds at 100,000 open items)."""
    open_ = Forwarding.answered_at.is_(None) & Forwarding.returned_at.is_(None)
    counts = await session.execute(
        select(
            Forwarding.agency_id,
            func.count(case((open_, 1))),
            func.count(Forwarding.answered_at),
            func.count(case((open_ & (Forwarding.due_at < now), 1))),
        )
        .where(Forwarding.agency_id.in_(agency_ids))
        .group_by(Forwarding.agency_id)
    )
    result: dict[int, dict[str, object]] = {
        agency_id: {"open": o, "answered": a, "overdue": late, "median_days": None}
        for agency_id, o, a, late in counts
    }
    if is_postgres(session):
        days = func.extract("epoch", Forwarding.answered_at - Forwarding.forwarded_at) / 86400
    else:
        days = func.julianday(Forwarding.answered_at) - func.julianday(Forwarding.forwarded_at)
    durations: dict[int, list[float]] = {}
    for agency_id, value in await session.execute(
        select(Forwarding.agency_id, days).where(
            Forwarding.agency_id.in_(agency_ids), Forwarding.answered_at.is_not(None)
        )
    ):
        durations.setdefault(agency_id, []).append(float(value))
    for agency_id, values in durations.items():
        result[agency_id]["median_days"] = round(statistics.median(values), 1)
    return result


async def queue_weekly_digests(
    session: AsyncSession, now: datetime, organizer_ids: list[int], *, between: Between = None
) -> int:
    """One digest per agency per organizer per ISO week (the first sweep of the week sends
    it). One agency per chunk: its figures read its own rows only, over the agency index."""
    queued = 0
    for agency_id in await _digests_missing(session, now, organizer_ids):
        agency = await session.get(Agency, agency_id)
        assert agency is not None
        figures_of = await _digest_figures(session, [agency_id], now)
        params = {**_agency_params(agency), **figures_of.get(agency_id, {})}
        queued += await _enqueue_many(
            session,
            [
                {
                    "user_id": organizer_id,
                    "kind": "agency_digest",
                    "template": "agency_digest",
                    "params": params,
                    "dedupe_key": _digest_key(agency_id, now, organizer_id),
                }
                for organizer_id in organizer_ids
            ],
        )
        if between is not None:
            await between()
    return queued


async def organizer_ids(session: AsyncSession, admin_telegram_ids: frozenset[int]) -> list[int]:
    rows = await session.scalars(
        select(User.id).where(
            User.is_organizer.is_(True) | User.telegram_id.in_(admin_telegram_ids)
        )
    )
    return list(rows)
