"""Time and peak memory of one agency reminder sweep.

N forwarded open proposals over 30 agencies (one representative each); a tenth of them have a
reminder slot due at the sweep's `now`. Rows are created in batches straight into the
tables, then one `queue_due_reminders` runs and is timed; a second identical run on a fresh
database measures memory (tracemalloc peak of Python allocations during the sweep).

    .venv/bin/python -m bench.bench_agency_sweep --count 10000 100000 [--database-url URL]
"""

import argparse
import asyncio
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, text

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

AGENCIES = 30
BATCH = 5000


async def prepare(url: str, count: int) -> tuple[object, object]:
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
                due = now + timedelta(days=10)
                # every tenth item has its "before" slot passed; the rest are days away
                next_at = now - timedelta(minutes=5) if i % 10 == 0 else now + timedelta(days=7)
                rows.append(
                    {
                        "proposal_id": proposal_id,
                        "agency_id": agency_ids[i % AGENCIES],
                        "forwarded_at": now,
                        "due_at": due,
                        "next_reminder_at": next_at,
                        "escalate_at": due + timedelta(days=7),
                    }
                )
            await session.execute(insert(Forwarding), rows)
        await session.commit()
    return engine, factory


async def sweep_once(url: str, count: int, *, trace_memory: bool) -> tuple[float, int, int, int]:
    """One sweep over a freshly made database: (seconds, peak bytes, queued, outbox rows)."""
    engine, factory = await prepare(url, count)
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
    args = parser.parse_args()
    for count in args.count:
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
