"""The follow-up sweeps: reminders to representatives, escalations to organizers, the
authors' satisfaction questions."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, Select, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.agencies.calendar import (
    DEFAULT_SCHEDULE,
    Schedule,
    next_slot_after,
    overdue_days,
    slot_name,
)
from bot.services.agencies.digests import _digests_missing
from bot.services.agencies.directory import representatives
from bot.services.agencies.queueing import CHUNK, Between, _enqueue_many, _queue_and_clear
from db.models import (
    Agency,
    AgencyAnswer,
    Forwarding,
    Proposal,
)


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


# The agency's id and names, as _agency_params() gives them, from plain columns.
_AGENCY_COLUMNS = (Agency.id.label("agency_id"), Agency.name_ky, Agency.name_ru)


def _agency_of(row: Row[Any]) -> dict[str, object]:
    return {"agency_id": row.agency_id, "agency_ky": row.name_ky, "agency_ru": row.name_ru}


async def _due_chunk(
    session: AsyncSession, query: Select, due: Any, now: datetime, chunk: int
) -> Sequence[Row[Any]]:
    """The next `chunk` rows of `query` (on a forwarding) whose `due` time has come, the
    earliest first, joined to the proposal and the agency."""
    query = query.join(Proposal, Proposal.id == Forwarding.proposal_id).join(
        Agency, Agency.id == Forwarding.agency_id
    )
    return (await session.execute(query.where(due <= now).order_by(due).limit(chunk))).all()


async def queue_escalations(
    session: AsyncSession,
    now: datetime,
    organizer_ids: list[int],
    schedule: Schedule = DEFAULT_SCHEDULE,
    *,
    chunk: int = CHUNK,
    between: Between = None,
) -> int:
    """Tells every organizer once about each item left unanswered past escalate_at."""
    queued = 0
    tz = ZoneInfo(schedule.tz)
    columns = select(Forwarding.id, Forwarding.due_at, Forwarding.proposal_id, Proposal.text)
    while rows := await _due_chunk(
        session, columns.add_columns(*_AGENCY_COLUMNS), Forwarding.escalate_at, now, chunk
    ):
        messages = []
        for row in rows:
            params = {  # as item_params() builds them, from plain columns
                **_agency_of(row),
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
    return queued


async def queue_satisfaction_questions(
    session: AsyncSession, now: datetime, *, chunk: int = CHUNK, between: Between = None
) -> int:
    queued = 0
    asked = AgencyAnswer.satisfaction_ask_at
    columns = select(
        AgencyAnswer.id,
        AgencyAnswer.text.label("answer"),
        Proposal.id.label("proposal_id"),
        Proposal.author_id,
        *_AGENCY_COLUMNS,
    ).join(Forwarding, Forwarding.id == AgencyAnswer.forwarding_id)
    while rows := await _due_chunk(session, columns, asked, now, chunk):
        # The question shows who answered and what (the author knows their own proposal).
        messages: list[dict[str, object]] = [
            {
                "user_id": row.author_id,
                "kind": "agency_satisfaction",
                "template": "agency_satisfaction",
                "params": {
                    **_agency_of(row),
                    "answer_id": row.id,
                    "proposal_id": row.proposal_id,
                    "answer": row.answer,
                },
                "dedupe_key": f"answer:{row.id}:satisfaction",
            }
            for row in rows
        ]
        ids = [row.id for row in rows]
        queued += await _queue_and_clear(session, messages, asked, ids, between)
    return queued
