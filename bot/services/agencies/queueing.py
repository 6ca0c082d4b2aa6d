"""How the sweeps queue their messages: many rows in one INSERT, in chunks."""

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from db.dialect import insert_for
from db.models import (
    OutboxMessage,
    utcnow,
)

# Rows per chunk of a sweep: tens of milliseconds of work (and of SQLite's write lock) each.
CHUNK = 200


async def _enqueue_many(session: AsyncSession, messages: list[dict[str, object]]) -> int:
    """One multi-row INSERT into the outbox; rows whose dedupe_key exists are skipped."""
    if not messages:
        return 0
    now = utcnow()
    rows = [
        {**m, "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now}
        for m in messages
    ]
    insert = insert_for(session)
    # One statement batched by SQLAlchemy's insertmanyvalues; RETURNING counts the rows
    # really inserted on both backends (asyncpg reports no rowcount for executemany).
    table = OutboxMessage.__table__
    result = await session.execute(
        insert(table).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(table.c.id),
        rows,
    )
    return len(result.all())


# A sweep works through what is due CHUNK rows at a time and, given `between` (the scheduler
# passes the session's commit), ends the transaction after each chunk: on SQLite a chunk holds
# the write lock for tens of milliseconds, and replies go out between chunks. Each chunk queues
# its messages and clears or advances its rows in the same transaction, so stopping between
# chunks loses nothing and sends nothing twice.
Between = Callable[[], Awaitable[None]] | None


async def _queue_and_clear(
    session: AsyncSession,
    messages: list[dict[str, object]],
    due: Any,
    ids: list[int],
    between: Between,
) -> int:
    """Queues a chunk's messages and clears the column (`due`) that made its rows due, in
    the same transaction, then ends the transaction (`between`)."""
    queued = await _enqueue_many(session, messages)
    table = due.class_.__table__
    await session.execute(update(table).where(table.c.id.in_(ids)).values({due.key: None}))
    if between is not None:
        await between()
    return queued
