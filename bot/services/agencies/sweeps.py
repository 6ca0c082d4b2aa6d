"""The follow-up sweeps: reminders to representatives, escalations to organizers, the
authors' satisfaction questions."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Integer,
    Row,
    Select,
    any_,
    bindparam,
    func,
    select,
    type_coerce,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import NullType

from bot.services import outbox
from bot.services.agencies.calendar import (
    DEFAULT_SCHEDULE,
    Schedule,
    next_slot_after,
    overdue_days,
    slot_name,
)
from bot.services.agencies.digests import _digests_missing
from bot.services.agencies.queueing import Between, Chunks
from bot.services.agencies.sweep_messages import SweepMessages, due_lists
from db.dialect import is_postgres
from db.models import (
    Agency,
    AgencyAnswer,
    AgencyRepresentative,
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


@dataclass(frozen=True)
class _Slot:
    """What a message says of an item's due date at the sweep's `now`."""

    name: str  # slot_name()
    late_days: int
    due_iso: str
    due_day: str  # of the dedupe key
    next_at: datetime  # next_slot_after()


# due_at as the driver gives it (SQLite: a string): _slots() converts each distinct value once.
_RAW_DUE_AT = type_coerce(Forwarding.due_at, NullType()).label("due_at")


def _slots(session: AsyncSession, now: datetime, schedule: Schedule) -> Callable[[Any], _Slot]:
    """The slot of a due date (_RAW_DUE_AT), worked out once per distinct due date: due
    dates are 09:00 local of a day, so a sweep sees few of them."""
    tz = ZoneInfo(schedule.tz)
    dialect = session.get_bind().dialect
    convert = Forwarding.due_at.type.dialect_impl(dialect).result_processor(dialect, None)

    @cache
    def slot(raw: Any) -> _Slot:
        due_at: datetime = convert(raw) if convert is not None else raw
        return _Slot(
            slot_name(due_at, now, schedule),
            overdue_days(due_at, now, tz),
            due_at.isoformat(),
            f"{due_at:%Y%m%d}",
            next_slot_after(due_at, now, schedule),
        )

    return slot


async def _representatives_of(
    session: AsyncSession, agency_ids: Iterable[int]
) -> dict[int, list[int]]:
    """representatives() of several agencies, in one query."""
    reps: dict[int, list[int]] = {agency_id: [] for agency_id in agency_ids}
    rows = await session.execute(
        select(AgencyRepresentative.agency_id, AgencyRepresentative.user_id)
        .where(AgencyRepresentative.agency_id.in_(list(reps)))
        .order_by(AgencyRepresentative.agency_id, AgencyRepresentative.user_id)
    )
    for agency_id, user_id in rows:
        reps[agency_id].append(user_id)
    return reps


def _one_of(session: AsyncSession, column: Any, ids: list[int]) -> ColumnElement[bool]:
    """`column IN ids`. On PostgreSQL one array parameter (= ANY): SQLAlchemy renders an IN
    of thousands of ids as as many cast placeholders, a third of the sweep's Python time."""
    if is_postgres(session):
        return column == any_(bindparam(None, ids, type_=ARRAY(Integer)))
    return column.in_(ids)  # type: ignore[no-any-return]


async def queue_due_reminders(
    session: AsyncSession,
    now: datetime,
    schedule: Schedule,
    *,
    chunk: int | None = None,
    between: Between = None,
) -> int:
    """One reminder per open item whose slot has come, to each representative of its agency
    (an agency with several: one message listing them, sweep_messages)."""
    queued = 0
    slot_of = _slots(session, now, schedule)
    chunks = Chunks(chunk)
    lists = await due_lists(session, Forwarding.next_reminder_at, now, between)
    messages = SweepMessages("agency_reminder", "agency_reminders", lists, now)
    reps: dict[int, list[int]] = {}
    while True:
        await chunks.begin(session)
        rows = (
            await session.execute(
                select(Forwarding.id, Forwarding.agency_id, Forwarding.proposal_id, _RAW_DUE_AT)
                .where(Forwarding.next_reminder_at <= now)
                .order_by(Forwarding.next_reminder_at)
                .limit(chunks.size)
            )
        ).all()
        if not rows:
            return queued
        # Each agency's representatives read once a sweep: a statement less in most chunks.
        unseen = {row.agency_id for row in rows} - reps.keys()
        if unseen:
            reps |= await _representatives_of(session, unseen)
        next_at: dict[datetime, list[int]] = {}
        for row in rows:
            slot = slot_of(row.due_at)
            params = {
                "forwarding_id": row.id,
                "proposal_id": row.proposal_id,
                "slot": slot.name,
                "late_days": slot.late_days,
                "due_at": slot.due_iso,
            }
            key = f"fwd:{row.id}:{slot.due_day}:{slot.name}:"
            for user_id in reps[row.agency_id]:
                messages.add(user_id, row.agency_id, params, key)
            next_at.setdefault(slot.next_at, []).append(row.id)
        queued += await outbox.enqueue_many(session, messages.take(), skip_existing=True)
        await _set_next_reminders(session, next_at)
        if not await chunks.end(len(rows), between):
            return queued


async def _set_next_reminders(session: AsyncSession, next_at: dict[datetime, list[int]]) -> None:
    """Each item's next reminder slot (the ids of each distinct slot). On PostgreSQL one
    statement pairs every id with its time (unnest): there each statement waits for the
    replies' turns on the event loop, and a sweep sees a slot per due date among its items.
    SQLite runs one UPDATE per slot on the loop itself, microseconds each."""
    table = Forwarding.__table__
    if is_postgres(session):
        ids = [item for items in next_at.values() for item in items]
        times = [at for at, items in next_at.items() for _ in items]
        pairs = (
            func.unnest(
                bindparam(None, ids, type_=ARRAY(Integer)),
                bindparam(None, times, type_=ARRAY(DateTime(timezone=True))),
            )
            .table_valued("id", "at")
            .render_derived()
        )
        await session.execute(
            update(table)  # type: ignore[arg-type]  # a Table, typed FromClause
            .where(table.c.id == pairs.c.id)
            .values(next_reminder_at=pairs.c.at)
        )
        return
    for at, items in next_at.items():
        await session.execute(
            update(table)  # type: ignore[arg-type]  # a Table, typed FromClause
            .where(table.c.id.in_(items))
            .values(next_reminder_at=at)
        )


# The agency's id and names, as _agency_params() gives them, from plain columns.
_AGENCY_COLUMNS = (Agency.id.label("agency_id"), Agency.name_ky, Agency.name_ru)


def _agency_of(row: Any) -> dict[str, object]:
    """A row with _AGENCY_COLUMNS, as _agency_params() gives them."""
    return {"agency_id": row.agency_id, "agency_ky": row.name_ky, "agency_ru": row.name_ru}


async def _agencies_of(session: AsyncSession, ids: Iterable[int]) -> dict[int, dict[str, object]]:
    """_agency_of() of several agencies, in one query."""
    rows = await session.execute(select(*_AGENCY_COLUMNS).where(Agency.id.in_(list(ids))))
    return {row.agency_id: _agency_of(row) for row in rows}


async def _due_chunk(
    session: AsyncSession, query: Select, due: Any, now: datetime, chunks: Chunks
) -> Sequence[Row[Any]]:
    """Begins a chunk: the next rows of `query` (on a forwarding) whose `due` time has come,
    the earliest first, joined to the proposal and the agency."""
    query = query.join(Proposal, Proposal.id == Forwarding.proposal_id).join(
        Agency, Agency.id == Forwarding.agency_id
    )
    await chunks.begin(session)
    query = query.where(due <= now).order_by(due).limit(chunks.size)
    return (await session.execute(query)).all()


async def _queue_and_clear(
    session: AsyncSession, messages: list[dict[str, object]], due: Any, ids: list[int]
) -> int:
    """Queues a chunk's messages and clears the column (`due`) that made its rows due, in
    the same transaction (ended by Chunks.end): a chunk is saved whole or not at all, and
    the dedupe keys make a chunk queued twice send nothing twice."""
    queued = await outbox.enqueue_many(session, messages, skip_existing=True)
    table = due.class_.__table__
    await session.execute(
        update(table).where(_one_of(session, table.c.id, ids)).values({due.key: None})
    )
    return queued


async def _take_due_items(
    session: AsyncSession, due: Any, now: datetime, chunks: Chunks
) -> list[Row[Any]]:
    """Begins a chunk: clears `due` (a Forwarding time) of the next items whose time has
    come, the earliest first, and returns them (id, agency_id, proposal_id, _RAW_DUE_AT), in
    order of id: one statement where a read and then an update made two round trips."""
    await chunks.begin(session)
    table = Forwarding.__table__
    column = table.c[due.key]
    earliest = select(table.c.id).where(column <= now).order_by(column).limit(chunks.size)
    rows = await session.execute(
        update(table)  # type: ignore[arg-type]  # a Table, typed FromClause
        # The time checked again: on PostgreSQL, an item an answer cleared meanwhile is left.
        .where(table.c.id.in_(earliest.scalar_subquery()), column <= now)
        .values({due.key: None})
        .returning(table.c.id, table.c.agency_id, table.c.proposal_id, _RAW_DUE_AT)
    )
    return sorted(rows.all(), key=lambda row: row.id)


async def queue_escalations(
    session: AsyncSession,
    now: datetime,
    organizer_ids: list[int],
    schedule: Schedule = DEFAULT_SCHEDULE,
    *,
    chunk: int | None = None,
    between: Between = None,
) -> int:
    """Tells every organizer once about each item left unanswered past escalate_at (an agency
    with several: one message listing them, sweep_messages)."""
    queued = 0
    slot_of = _slots(session, now, schedule)
    chunks = Chunks(chunk)
    lists = await due_lists(session, Forwarding.escalate_at, now, between)
    messages = SweepMessages("agency_escalation", "agency_escalations", lists, now)
    agency_of: dict[int, dict[str, object]] = {}
    while rows := await _take_due_items(session, Forwarding.escalate_at, now, chunks):
        unseen = {row.agency_id for row in rows} - agency_of.keys()
        if unseen:
            agency_of |= await _agencies_of(session, unseen)
        for row in rows:
            slot = slot_of(row.due_at)
            params = {  # as item_params() builds them but the text, which the notice omits
                **agency_of[row.agency_id],
                "forwarding_id": row.id,
                "proposal_id": row.proposal_id,
                "due_at": slot.due_iso,
                "late_days": slot.late_days,
            }
            key = f"fwd:{row.id}:{slot.due_day}:escalate:"
            for organizer_id in organizer_ids:  # the organizers' rows share their params
                messages.add(organizer_id, row.agency_id, params, key)
        queued += await outbox.enqueue_many(session, messages.take(), skip_existing=True)
        if not await chunks.end(len(rows), between):
            break
    return queued


async def queue_satisfaction_questions(
    session: AsyncSession,
    now: datetime,
    *,
    chunk: int | None = None,
    between: Between = None,
) -> int:
    queued = 0
    chunks = Chunks(chunk)
    asked = AgencyAnswer.satisfaction_ask_at
    columns = select(
        AgencyAnswer.id,
        AgencyAnswer.text.label("answer"),
        Proposal.id.label("proposal_id"),
        Proposal.author_id,
        *_AGENCY_COLUMNS,
    ).join(Forwarding, Forwarding.id == AgencyAnswer.forwarding_id)
    while rows := await _due_chunk(session, columns, asked, now, chunks):
        shared = outbox.pending_columns("agency_satisfaction")
        # The question shows who answered and what (the author knows their own proposal).
        messages: list[dict[str, object]] = [
            {
                "user_id": row.author_id,
                "params": {
                    **_agency_of(row),
                    "answer_id": row.id,
                    "proposal_id": row.proposal_id,
                    "answer": row.answer,
                },
                "dedupe_key": f"answer:{row.id}:satisfaction",
                **shared,
            }
            for row in rows
        ]
        ids = [row.id for row in rows]
        queued += await _queue_and_clear(session, messages, asked, ids)
        if not await chunks.end(len(rows), between):
            break
    return queued
