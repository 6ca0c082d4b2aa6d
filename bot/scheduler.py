"""APScheduler runs a few periodic sweeps; every sweep is one set-based query over our
tables, so running twice, late or after downtime sends nothing twice. The scheduler holds no
state of its own (in-memory job store, never shared between processes)."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession

from bot import poll_sweeps
from bot.context import App
from bot.services import agencies, events, polls, surveys
from bot.services.drafts import sweeps as draft_sweeps
from db import leases
from db.engine import read_only
from db.models import utcnow

log = logging.getLogger(__name__)

Sweep = Callable[[App], Awaitable[object]]
# Whether a sweep has anything to do, asked in a read-only transaction before the sweep
# takes its lease: an idle bot then writes nothing.
DueCheck = Callable[[App, AsyncSession, datetime], Awaitable[bool]]


async def sweep_event_reminders(app: App, now: datetime | None = None) -> int:
    """Queues the due 24-hour and 1-hour event reminders (once each; late after downtime)."""
    async with app.session_factory() as session:
        queued = await events.queue_due_reminders(session, now or utcnow(), app.settings.tz)
        await session.commit()
    return queued


def agency_schedule(app: App) -> agencies.Schedule:
    s = app.settings
    return agencies.Schedule(
        remind_before=s.agency_remind_before_days,
        remind_every=s.agency_remind_every_days,
        escalate_after=s.agency_escalate_after_days,
        satisfaction_after=s.agency_satisfaction_after_days,
        tz=s.timezone,
    )


async def event_reminders_due(app: App, session: AsyncSession, now: datetime) -> bool:
    return await events.reminders_due(session, now)


async def sweep_agency_followup(app: App, now: datetime | None = None) -> int:
    """Reminders to representatives, escalations and weekly digests to organizers, the
    satisfaction question to authors a week after an answer. Each part commits chunk by
    chunk (see agencies.Between), so replies keep flowing while it runs."""
    now = now or utcnow()
    async with app.session_factory() as session:
        organizers = await agencies.organizer_ids(session, app.settings.admin_ids)
        schedule = agency_schedule(app)
        between = session.commit
        queued = await agencies.queue_due_reminders(session, now, schedule, between=between)
        queued += await agencies.queue_escalations(
            session, now, organizers, schedule, between=between
        )
        queued += await agencies.queue_weekly_digests(session, now, organizers, between=between)
        queued += await agencies.queue_satisfaction_questions(session, now, between=between)
        await session.commit()
    return queued


async def agency_followup_due(app: App, session: AsyncSession, now: datetime) -> bool:
    organizers = await agencies.organizer_ids(session, app.settings.admin_ids)
    return await agencies.followup_due(session, now, organizers)


async def sweep_drafts(app: App, now: datetime | None = None) -> int:
    """Reminders before a draft's discussion period ends; the period's closing."""
    async with app.session_factory() as session:
        queued = await draft_sweeps.queue_due(session, now or utcnow(), app.settings.tz)
        await session.commit()
    return queued


async def drafts_due(app: App, session: AsyncSession, now: datetime) -> bool:
    return await draft_sweeps.anything_due(session, now)


async def poll_results_due(app: App, session: AsyncSession, now: datetime) -> bool:
    return bool(await polls.live_due(session, now))


async def event_surveys_due(app: App, session: AsyncSession, now: datetime) -> bool:
    return await surveys.anything_due(session, now)


# (sweep, interval in seconds). Features append their sweeps here.
SWEEPS: list[tuple[Sweep, int]] = [
    (sweep_event_reminders, 60),
    (sweep_agency_followup, 300),
    (sweep_drafts, 300),
    # Polls' live results (every 5 s at most) and the post-event surveys.
    (poll_sweeps.sweep_poll_results, 5),
    (poll_sweeps.sweep_event_surveys, 60),
]
# A sweep listed here runs only when its check finds something due.
DUE_CHECKS: dict[Sweep, DueCheck] = {
    sweep_event_reminders: event_reminders_due,
    sweep_agency_followup: agency_followup_due,
    sweep_drafts: drafts_due,
    poll_sweeps.sweep_poll_results: poll_results_due,
    poll_sweeps.sweep_event_surveys: event_surveys_due,
}


def create_scheduler(app: App, running: set[asyncio.Task[None]]) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=app.settings.timezone)
    for sweep, seconds in SWEEPS:
        scheduler.add_job(
            _guarded(sweep, app, seconds, running),
            "interval",
            seconds=seconds,
            id=sweep.__qualname__,
            # A run missed while the bot was down still happens once on return (the default
            # grace of one second would drop it); coalesce makes several missed runs one.
            misfire_grace_time=None,
            coalesce=True,
            max_instances=1,
            next_run_time=datetime.now(UTC),  # the first run right away: catch up after downtime
        )
    return scheduler


def _guarded(
    sweep: Sweep, app: App, interval: int, running: set[asyncio.Task[None]]
) -> Callable[[], Awaitable[None]]:
    """One process runs the sweep per interval: the first to take its lease, which it keeps
    for most of the interval (the sweep is idempotent anyway; this saves doing it twice).
    Each run is in `running` while it lasts, so that a stop can wait for it."""

    async def run() -> None:
        task = asyncio.current_task()
        assert task is not None
        running.add(task)
        try:
            due = DUE_CHECKS.get(sweep)
            if due is not None:
                async with app.session_factory() as session:
                    await read_only(session)
                    if not await due(app, session, utcnow()):
                        return
            async with app.session_factory() as session:
                mine = await leases.take(
                    session, f"sweep:{sweep.__name__}", app.process_id, interval * 0.9
                )
                await session.commit()
            if mine:
                await sweep(app)
        except Exception:
            log.exception("sweep %s failed; it runs again at its next interval", sweep.__qualname__)
        finally:
            running.discard(task)

    return run


async def run_scheduler(app: App) -> None:
    running: set[asyncio.Task[None]] = set()
    scheduler = create_scheduler(app, running)
    scheduler.start()
    try:
        await app.stopping.wait()
        scheduler.pause()
        # APScheduler's shutdown cancels the runs in progress; a sweep cancelled inside its
        # transaction could leave SQLite locked, so they finish first.
        await asyncio.gather(*running, return_exceptions=True)
    finally:
        scheduler.shutdown(wait=False)
