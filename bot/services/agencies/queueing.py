"""How the sweeps work: in chunks, each ending its transaction (outbox.enqueue_many queues a
chunk's messages in one statement)."""

import time
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from db.dialect import is_postgres
from db.engine import read_only

# Rows per chunk of a sweep: tens of milliseconds of work (and of SQLite's write lock) each.
CHUNK = 200
# What a chunk (or the digests' read) aims to take at most: see Chunks.
CHUNK_SECONDS = 0.05


# A sweep works through what is due a chunk at a time (CHUNK rows, or as many as fit its
# time: Chunks) and, given `between` (the scheduler passes the session's commit),
# ends the transaction after each chunk: on SQLite a chunk holds the write lock for tens of
# milliseconds, and replies go out between chunks. Each chunk queues its messages and clears
# or advances its rows in the same transaction, so stopping between chunks loses nothing and
# sends nothing twice.
Between = Callable[[], Awaitable[None]] | None


async def begin_reading(session: AsyncSession, between: Between) -> float:
    """Given `between`, ends the session's transaction (what it holds is saved) and begins
    one that only reads; returns when."""
    if between is not None:
        await between()
        await read_only(session)  # needs a fresh transaction: hence the between() above
    return time.perf_counter()


# The reminders, escalations and satisfaction questions size their chunks by time: each chunk
# after the first (CHUNK items) is as many items as the previous one's pace fits in
# CHUNK_SECONDS, at most twice the previous and MAX_CHUNK. A chunk holds SQLite's write lock
# from its first statement to its commit, so the lock stays well under 100 ms on a slow or
# busy machine, while a fast one does fewer, larger chunks (fewer commits, and fewer waits
# behind the replies that go between chunks). Given `chunk`, every chunk is that size.
MAX_CHUNK = 5000
# A chunk's time is not proportional to its items: each costs a few round trips and a commit
# whatever its size, so below MIN_CHUNK a smaller chunk no longer shortens the lock, it only
# multiplies the chunks (one item a chunk, still 30-60 ms on a busy event loop, is where the
# sizing above would settle: the sweep crawled at ~20 items a second).
MIN_CHUNK = CHUNK // 4
# On PostgreSQL a chunk locks only its own rows (only an answer to one of its items would
# wait for it), and beside busy replies its wall time is mostly its round trips, each
# waiting for the replies' turns on the shared event loop: so there chunks are a fixed,
# larger size, which makes fewer round trips. At 100,000 items beside 20 replies, with an
# agency's many items sent as one list: 1.10-1.43 s in chunks of 5,000 against 1.49-1.77 s
# in chunks of 2,000, the replies' p95 70-86 ms against 62-72 ms (bench/RESULTS.md).
POSTGRES_CHUNK = MAX_CHUNK


class Chunks:
    """The sizes of a sweep's chunks (see CHUNK_SECONDS)."""

    def __init__(self, fixed: int | None) -> None:
        self.fixed = fixed
        self.size = fixed or CHUNK
        self._started = 0.0

    async def begin(self, session: AsyncSession) -> None:
        """Begins the chunk's transaction (on SQLite: takes the write lock) and its clock."""
        await session.connection()
        if self.fixed is None and is_postgres(session):
            self.fixed = self.size = POSTGRES_CHUNK
        self._started = time.perf_counter()

    async def end(self, items: int, between: Between) -> bool:
        """Ends the chunk's transaction (`between`) and sizes the next (ended)."""
        if between is not None:
            await between()
        return self.ended(items)

    def ended(self, items: int) -> bool:
        """After the chunk's commit: sizes the next from this one's pace (a full chunk).
        Whether more may be due: a chunk short of its size took the last of them, and the
        query that would find nothing is a round trip saved."""
        seconds = time.perf_counter() - self._started
        if items < self.size:
            return False
        if self.fixed is None:
            fits = int(CHUNK_SECONDS * items / max(seconds, 1e-6))
            self.size = max(MIN_CHUNK, min(fits, 2 * self.size, MAX_CHUNK))
        return True
