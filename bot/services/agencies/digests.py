"""The weekly digest of each agency's figures to the organizers."""

import statistics
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import outbox
from bot.services.agencies.directory import _agency_params
from bot.services.agencies.queueing import Between
from db.dialect import is_postgres
from db.models import (
    Agency,
    Forwarding,
    OutboxMessage,
)


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
        queued += await outbox.enqueue_many(
            session,
            [
                outbox.new_row(
                    user_id=organizer_id,
                    kind="agency_digest",
                    template="agency_digest",
                    params=params,
                    dedupe_key=_digest_key(agency_id, now, organizer_id),
                )
                for organizer_id in organizer_ids
            ],
            skip_existing=True,
        )
        if between is not None:
            await between()
    return queued
