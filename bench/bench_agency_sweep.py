"""Time and peak memory of one agency reminder sweep; with --full, the whole follow-up sweep
as the scheduler runs it.

N forwarded open proposals over 30 agencies (one representative each), due at 09:00 in
Bishkek on 40 days around today; a tenth of them have a reminder slot due at the sweep's
`now`. Rows are created in batches straight into the
tables, then one `queue_due_reminders` runs and is timed; a second identical run on a fresh
database measures memory (tracemalloc peak of Python allocations during the sweep).

    .venv/bin/python -m bench.bench_agency_sweep --count 10000 100000 [--database-url URL]

--full: a further tenth of the items is past its escalation date too, and two organizers
get the escalations; `scheduler.sweep_agency_followup` runs (reminders, escalations, weekly
digests, satisfaction questions, committed chunk by chunk) while 20 "replies" (a person's
read and write, as an update does) run in a loop beside it. Reported: the whole sweep's
time, the longest transaction it held (SQLite: the write lock) and the replies' p95.

    .venv/bin/python -m bench.bench_agency_sweep --full --count 100000 [--database-url URL]
"""

import argparse
import asyncio
import gc
import statistics
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, func, insert, select, text

from bot.scheduler import sweep_agency_followup
from bot.services import agencies
from bot.services.agencies import Schedule
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade_to_head
from db.models import (
    Agency,
    AgencyRepresentative,
    Forwarding,
    OutboxMessage,
    Proposal,
    User,
    utcnow,
)
from db.seed import seed_reference_data
from tests.harness import make_settings
from tests.test_event_reminders import SweepApp

AGENCIES = 30
BISHKEK = ZoneInfo("Asia/Bishkek")
BATCH = 5000


async def prepare(url: str, count: int, *, escalate: bool = False) -> tuple[object, object]:
    engine = create_engine(url)
    await upgrade_to_head(engine)
    factory = create_session_factory(engine)
    now = utcnow()
    async with factory() as session:
        await seed_reference_data(session)
        session.add_all(
            [Agency(code=f"bench{i}", name_ky=f"A{i}", name_ru=f"A{i}") for i in range(AGENCIES)]
        )
        session.add_all(
            [User(telegram_id=10_000_000 + i, language="ky") for i in range(AGENCIES + 1)]
        )
        await session.flush()
        agency_ids = list(
            await session.scalars(select(Agency.id).where(Agency.code.like("bench%")))
        )
        user_ids = list(await session.scalars(select(User.id).order_by(User.id)))
        author = user_ids[-1]
        session.add_all(
            [
                AgencyRepresentative(agency_id=a, user_id=u)
                for a, u in zip(agency_ids, user_ids, strict=False)
            ]
        )
        topic = (await session.execute(text("SELECT code FROM topics LIMIT 1"))).scalar()
        region = (await session.execute(text("SELECT code FROM regions LIMIT 1"))).scalar()
        # Due at 09:00 in Bishkek, as a forum's items are, on 40 days around today (half of
        # them past): a sweep meets a reminder slot per due date.
        nine = now.astimezone(BISHKEK).replace(hour=9, minute=0, second=0, microsecond=0)
        due_dates = [(nine + timedelta(days=d)).astimezone(UTC) for d in range(-20, 20)]
        for start in range(0, count, BATCH):
            n = min(BATCH, count - start)
            ids = await session.scalars(
                insert(Proposal).returning(Proposal.id),
                [
                    {
                        "author_id": author,
                        "topic_code": topic,
                        "region_code": region,
                        "text": "bench",
                        "status": "forwarded",
                        "support_count": 0,
                        "is_anonymous": False,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for _ in range(n)
                ],
            )
            rows = []
            for k, proposal_id in enumerate(list(ids)):
                i = start + k
                due = due_dates[(i // AGENCIES) % len(due_dates)]
                # every tenth item has a reminder slot passed; the rest are days away
                next_at = now - timedelta(minutes=5) if i % 10 == 0 else now + timedelta(days=7)
                escalate_at: datetime | None = due + timedelta(days=7)
                if escalate and i % 10 == 5:
                    escalate_at = now - timedelta(minutes=5)
                elif escalate_at is not None and escalate_at <= now:
                    escalate_at = None  # escalated in an earlier sweep
                rows.append(
                    {
                        "proposal_id": proposal_id,
                        "agency_id": agency_ids[i % AGENCIES],
                        "forwarded_at": now,
                        "due_at": due,
                        "next_reminder_at": next_at,
                        "escalate_at": escalate_at,
                    }
                )
            await session.execute(insert(Forwarding), rows)
        await session.commit()
    return engine, factory


async def sweep_once(url: str, count: int, *, trace_memory: bool) -> tuple[float, int, int, int]:
    """One sweep over a freshly made database: (seconds, peak bytes, queued, outbox rows)."""
    engine, factory = await prepare(url, count)
    gc.collect()  # the setup's garbage: its collection is not the sweep's
    async with factory() as session:  # type: ignore[operator]
        if trace_memory:
            tracemalloc.start()
        started = time.perf_counter()
        queued = await agencies.queue_due_reminders(session, utcnow(), Schedule())
        await session.commit()
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if trace_memory else 0
        tracemalloc.stop()
        total = await session.scalar(select(func.count(OutboxMessage.id))) or 0
    await engine.dispose()  # type: ignore[attr-defined]
    return elapsed, peak, queued, total


async def full_sweep(url: str, count: int) -> str:
    """The scheduler's whole sweep with replies running beside it (see the module doc)."""
    engine, factory = await prepare(url, count, escalate=True)
    settings = make_settings(url, "http://127.0.0.1:1", admin_ids="1,2")
    async with factory() as session:  # type: ignore[operator]
        await session.execute(insert(User), [{"telegram_id": t, "language": "ru"} for t in (1, 2)])
        await session.commit()
    gc.collect()  # the setup's garbage: its collection is not the sweep's
    held: list[float] = []  # the sweep's transactions
    began: dict[int, float] = {}

    @event.listens_for(engine.sync_engine, "begin")  # type: ignore[attr-defined]
    def _begin(connection: Any) -> None:
        began[id(connection.connection)] = time.perf_counter()

    @event.listens_for(engine.sync_engine, "commit")  # type: ignore[attr-defined]
    def _commit(connection: Any) -> None:
        started = began.pop(id(connection.connection), None)
        task = asyncio.current_task()
        if started is not None and task is not None and task.get_name() == "sweep":
            held.append(time.perf_counter() - started)

    app = SweepApp(settings, factory)  # type: ignore[arg-type]
    replies: list[float] = []
    done = asyncio.Event()

    async def reply(person: int) -> None:
        while not done.is_set():
            started = time.perf_counter()
            async with factory() as session:  # type: ignore[operator]
                user = await session.get(User, person)
                assert user is not None
                user.language = "ky" if user.language == "ru" else "ru"
                await session.commit()
            replies.append(time.perf_counter() - started)
            await asyncio.sleep(0.01)

    repliers = [asyncio.create_task(reply(p)) for p in range(1, 21)]
    await asyncio.sleep(0.5)
    held.clear()
    started = time.perf_counter()
    queued = await asyncio.create_task(sweep_agency_followup(app), name="sweep")  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    sweep_held = max(held)
    done.set()
    await asyncio.gather(*repliers)
    await engine.dispose()  # type: ignore[attr-defined]
    p95 = statistics.quantiles(replies, n=20)[18]
    return (
        f"{url.split('+')[0]:10} {count:>7} items: whole sweep {elapsed:.2f} s, {queued} "
        f"messages queued, longest transaction {sweep_held * 1000:.0f} ms; replies beside it: "
        f"{len(replies)}, p95 {p95 * 1000:.1f} ms"
    )


async def fresh_url(base: str | None, name: str) -> str:
    if not base:
        return f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return base.rsplit("/", 1)[0] + "/" + name


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--database-url", help="a fresh, empty database per count (appends _N)")
    parser.add_argument("--full", action="store_true", help="the scheduler's whole sweep")
    args = parser.parse_args()
    for count in args.count:
        if args.full:
            url = await fresh_url(args.database_url, f"kenesh_bench_full_{count}")
            print(await full_sweep(url, count))
            continue
        # Time and memory come from two identical runs: tracemalloc slows Python down a lot.
        timed_url = await fresh_url(args.database_url, f"kenesh_bench_{count}")
        elapsed, _peak, queued, total = await sweep_once(timed_url, count, trace_memory=False)
        traced_url = await fresh_url(args.database_url, f"kenesh_bench_{count}_mem")
        _elapsed, peak, _queued, _total = await sweep_once(traced_url, count, trace_memory=True)
        print(
            f"{timed_url.split('+')[0]:10} {count:>7} items: {queued} reminders ({total} in "
            f"outbox) in {elapsed:.2f} s, peak {peak / 2**20:.1f} MiB"
        )


if __name__ == "__main__":
    asyncio.run(main())
