"""The weekly digest of each agency's figures to the organizers."""

import statistics
import time
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import outbox
from bot.services.agencies.directory import _agency_params
from bot.services.agencies.queueing import CHUNK_SECONDS, Between, begin_reading
from db.dialect import is_postgres
from db.models import (
    Agency,
    Forwarding,
    OutboxMessage,
)

# A read-only transaction of the digests reads agencies' figures until it has taken
# CHUNK_SECONDS: on SQLite it holds the process's one connection, so this process's replies
# wait for it (other processes write freely meanwhile).


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


def _answer_days(session: AsyncSession) -> ColumnElement[Any]:
    """Days from forwarding to answer, as the database counts them."""
    if is_postgres(session):
        return func.extract("epoch", Forwarding.answered_at - Forwarding.forwarded_at) / 86400
    return func.julianday(Forwarding.answered_at) - func.julianday(Forwarding.forwarded_at)


async def _digest_figures(
    session: AsyncSession, agency_ids: list[int], now: datetime
) -> dict[int, dict[str, object]]:
    """figures() of some agencies, the digest's part of it, counted by the database over the
    agencies' own rows (figures() reads them all into Python: seconds at 100,000 items)."""
    open_ = Forwarding.answered_at.is_(None) & Forwarding.returned_at.is_(None)
    counts = (
        select(
            Forwarding.agency_id,
            func.count(case((open_, 1))),
            func.count(Forwarding.answered_at),
            func.count(case((open_ & (Forwarding.due_at < now), 1))),
        )
        .where(Forwarding.agency_id.in_(agency_ids))
        .group_by(Forwarding.agency_id)
    )
    figures_of: dict[int, dict[str, object]] = {  # an agency whose rows are gone: zeros
        agency_id: {"open": 0, "answered": 0, "overdue": 0, "median_days": None}
        for agency_id in agency_ids
    }
    for agency_id, open_count, answered, overdue in (await session.execute(counts)).all():
        figures_of[agency_id] = {
            "open": open_count,
            "answered": answered,
            "overdue": overdue,
            "median_days": await _median_days(session, agency_id, answered),
        }
    return figures_of


async def _median_days(session: AsyncSession, agency_id: int, answered: int) -> float | None:
    """Only the middle one (odd count) or two (even) of the answered durations, in the
    database's order: the rest never cross into Python, and statistics.median of them is
    the median of all. (A reading transaction on SQLite is one snapshot; on PostgreSQL each
    statement has its own, so an answer committed between the two can shift the middle by
    a rank.)"""
    if not answered:
        return None
    days = _answer_days(session).label("days")
    middle = [
        float(value)
        for value in await session.scalars(
            select(days)
            .where(Forwarding.agency_id == agency_id, Forwarding.answered_at.is_not(None))
            .order_by(days)
            .limit(2 - answered % 2)
            .offset((answered - 1) // 2)
        )
    ]
    return round(statistics.median(middle), 1) if middle else None


async def queue_weekly_digests(
    session: AsyncSession, now: datetime, organizer_ids: list[int], *, between: Between = None
) -> int:
    """One digest per agency per organizer per ISO week (the first sweep of the week sends
    it). Given `between`, the figures are read in transactions that only read (on SQLite:
    no write lock, however many rows they count; a new one every CHUNK_SECONDS), and every
    digest is then queued in one short write. Two sweeps racing both read and both write:
    the dedupe keys (skip_existing) keep it one digest each."""
    started = await begin_reading(session, between)
    missing = await _digests_missing(session, now, organizer_ids)
    agencies = {
        agency.id: agency
        for agency in await session.scalars(select(Agency).where(Agency.id.in_(missing)))
    }
    figures_of: dict[int, dict[str, object]] = {}
    # On SQLite one agency at a time (its own rows), so that the read can end at
    # CHUNK_SECONDS; PostgreSQL counts them all in one statement, which beside busy replies
    # saves a turn of the event loop per agency.
    batch = max(len(missing), 1) if is_postgres(session) else 1
    for start in range(0, len(missing), batch):
        if between is not None and time.perf_counter() - started > CHUNK_SECONDS:
            started = await begin_reading(session, between)
        figures_of |= await _digest_figures(session, missing[start : start + batch], now)
    if between is not None:
        await between()  # ends the read-only transaction before the write begins
    rows = []
    for agency_id in missing:
        params = {**_agency_params(agencies[agency_id]), **figures_of[agency_id]}
        rows += [
            outbox.new_row(
                user_id=organizer_id,
                kind="agency_digest",
                template="agency_digest",
                params=params,  # the organizers' rows share it: serialized once
                dedupe_key=_digest_key(agency_id, now, organizer_id),
            )
            for organizer_id in organizer_ids
        ]
    queued = await outbox.enqueue_many(session, rows, skip_existing=True)
    if between is not None and rows:
        await between()
    return queued
