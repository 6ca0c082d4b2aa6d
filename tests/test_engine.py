"""The connection pool serves waiters first come, first served, and an update already under
way (it has had the connection once) before updates that have not started: under a burst of
people, the queue moves and nobody waits past the pool's timeout while others overtake."""

import asyncio
import sqlite3
import time
from pathlib import Path

from sqlalchemy import text

from db.engine import SQLITE_BUSY_TIMEOUT_MS, FairQueue, create_engine, current_work


async def _until(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.01)


async def test_waiters_in_order_and_work_under_way_first(database_url: str) -> None:
    engine = create_engine(database_url, pool_size=1, max_overflow=0)
    queue = engine.sync_engine.pool._pool  # type: ignore[attr-defined]
    assert isinstance(queue, FairQueue)
    served: list[str] = []

    async def unit(name: str, under_way: bool) -> None:
        current_work.set([under_way])
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
            served.append(name)

    try:
        async with engine.connect() as holder:
            await holder.execute(text("SELECT 1"))
            tasks = [asyncio.create_task(unit("first", False))]
            await _until(lambda: len(queue._waiters) == 1, "the first waiter")
            tasks.append(asyncio.create_task(unit("second", False)))
            await _until(lambda: len(queue._waiters) == 2, "the second waiter")
            tasks.append(asyncio.create_task(unit("under way", True)))
            await _until(lambda: len(queue._under_way) == 1, "the update under way")
        await asyncio.gather(*tasks)
        assert served == ["under way", "first", "second"]
        # and a connection taken while nobody waits is taken at once
        async with engine.connect() as connection:
            assert await connection.scalar(text("SELECT 2")) == 2
    finally:
        await engine.dispose()


async def test_a_write_waits_for_another_process_lock_without_stopping_the_loop(
    tmp_path: Path,
) -> None:
    """BEGIN IMMEDIATE runs on the event loop when the write lock is free; when another
    process holds it, the update waits for it in aiosqlite's thread (the loop serves others
    meanwhile) and goes on once it is released, with SQLite's busy timeout as it was."""
    path = tmp_path / "locked.sqlite3"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    other = sqlite3.connect(path, isolation_level=None)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE notes (body TEXT)"))
        other.execute("BEGIN IMMEDIATE")  # the other process takes the write lock
        other.execute("INSERT INTO notes VALUES ('theirs')")

        async def write() -> None:
            async with engine.begin() as connection:
                await connection.execute(text("INSERT INTO notes VALUES ('ours')"))

        writer = asyncio.create_task(write())
        started = time.monotonic()
        for _ in range(20):  # the loop keeps running while the writer waits...
            await asyncio.sleep(0.01)
        # ...not stopped in SQLite's busy handler (15 s) until the lock is released
        assert time.monotonic() - started < SQLITE_BUSY_TIMEOUT_MS / 1000 / 2
        assert not writer.done()
        other.execute("COMMIT")
        await asyncio.wait_for(writer, timeout=30)

        async with engine.connect() as connection:
            rows = (await connection.execute(text("SELECT body FROM notes"))).scalars().all()
            timeout = await connection.scalar(text("PRAGMA busy_timeout"))
        assert rows == ["theirs", "ours"]
        assert timeout == SQLITE_BUSY_TIMEOUT_MS
    finally:
        other.close()
        await engine.dispose()
