"""How the sweeps work: in chunks, each ending its transaction (outbox.enqueue_many queues a
chunk's messages in one statement)."""

import time
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import read_only

# Rows per chunk of a sweep: tens of milliseconds of work (and of SQLite's write lock) each.
CHUNK = 200
# What a chunk (or the digests' read) aims to take at most: see sweeps._Chunks.
CHUNK_SECONDS = 0.05


# A sweep works through what is due a chunk at a time (CHUNK rows, or as many as fit its
# time: sweeps._Chunks) and, given `between` (the scheduler passes the session's commit),
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
