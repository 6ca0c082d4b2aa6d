"""Forwarding proposals to agencies (one by one or all of an event's), and the open items."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import outbox
from bot.services.agencies.calendar import DEFAULT_SCHEDULE, Schedule, due_after, next_slot_after
from bot.services.agencies.directory import (
    _agency_params,
    default_agency,
    is_representative,
    representatives,
)
from bot.services.errors import InvalidInput
from bot.services.proposal_status import change_status
from db.models import (
    Agency,
    AgencyRepresentative,
    Forwarding,
    Proposal,
    User,
    utcnow,
)


async def forward(
    session: AsyncSession,
    proposal: Proposal,
    agency: Agency,
    organizer: User,
    tz: ZoneInfo,
    schedule: Schedule = DEFAULT_SCHEDULE,
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
        params = item_params(forwarding, proposal, agency)
        await notify(session, forwarding, user_id, "agency_item", params, f"card:{user_id}")
    return forwarding


async def forwardable_proposal(session: AsyncSession, proposal_id: int) -> Proposal | None:
    """The proposal, if it can be forwarded now (published, or returned by an agency)."""
    proposal = await session.get(Proposal, proposal_id)
    if proposal is None or proposal.status not in ("published", "returned"):
        return None
    return proposal


async def forward_to(
    session: AsyncSession, proposal_id: int, agency_id: int, organizer: User, tz: ZoneInfo
) -> Forwarding:
    """forward() by ids (an organizer's button); InvalidInput when either is gone."""
    proposal = await session.get(Proposal, proposal_id)
    agency = await session.get(Agency, agency_id)
    if proposal is None or agency is None:
        raise InvalidInput("forwarding_target_missing")
    return await forward(session, proposal, agency, organizer, tz)


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
    schedule: Schedule = DEFAULT_SCHEDULE,
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


async def notify(
    session: AsyncSession,
    forwarding: Forwarding,
    user_id: int,
    template: str,
    params: dict[str, object],
    key: str,
    *,
    kind: str | None = None,
    document_file_id: str | None = None,
) -> None:
    """Queues one message about an item, once: its dedupe key is the forwarding's id and
    `key`; the kind is the template's name unless given."""
    await outbox.enqueue(
        session,
        user_id=user_id,
        kind=kind or template,
        template=template,
        params=params,
        dedupe_key=f"fwd:{forwarding.id}:{key}",
        attachment_kind="document" if document_file_id else None,
        attachment_ref=document_file_id,
    )


def _represented_open_items(user: User) -> Select[Forwarding]:
    """The open items of every agency the user represents."""
    return (
        select(Forwarding)
        .join(AgencyRepresentative, AgencyRepresentative.agency_id == Forwarding.agency_id)
        .where(
            AgencyRepresentative.user_id == user.id,
            Forwarding.answered_at.is_(None),
            Forwarding.returned_at.is_(None),
        )
    )


def _most_overdue_first(query: Select[Any]) -> Select[Any]:
    return query.order_by(Forwarding.due_at, Forwarding.id)


async def open_items(session: AsyncSession, user: User) -> list[Forwarding]:
    """The open items of every agency the user represents, the most overdue first."""
    return list(await session.scalars(_most_overdue_first(_represented_open_items(user))))


async def represented_open_item(
    session: AsyncSession, user: User, proposal_id: int
) -> Forwarding | None:
    """The proposal's open item at an agency the user represents, if it has one."""
    return await session.scalar(
        _represented_open_items(user).where(Forwarding.proposal_id == proposal_id).limit(1)
    )


async def current_forwarding(session: AsyncSession, proposal_id: int) -> Forwarding | None:
    """The latest forwarding of a proposal (for its card: due date, overdue by N days)."""
    return await session.scalar(
        select(Forwarding)
        .where(Forwarding.proposal_id == proposal_id)
        .order_by(Forwarding.id.desc())
        .limit(1)
    )


async def item_cards(
    session: AsyncSession, user: User, limit: int
) -> tuple[list[tuple[Forwarding, Proposal]], int]:
    """The first `limit` open items of the user's agencies (as open_items() orders them),
    with their proposals, and how many are open in all: counted, not loaded (a
    representative may have thousands)."""
    items = _represented_open_items(user)
    total = await session.scalar(select(func.count()).select_from(items.subquery()))
    rows = await session.execute(
        _most_overdue_first(items.add_columns(Proposal))
        .join(Proposal, Proposal.id == Forwarding.proposal_id)
        .limit(limit)
    )
    return [(item, proposal) for item, proposal in rows], total or 0


async def representative_item(
    session: AsyncSession, user: User, forwarding_id: int
) -> Forwarding | None:
    """The item, if the user represents the agency it was forwarded to."""
    forwarding = await session.get(Forwarding, forwarding_id)
    if forwarding is None or not await is_representative(session, user, forwarding.agency_id):
        return None
    return forwarding
