"""Adds messages to the outbox, in the caller's transaction. Only bot/delivery.py sends them."""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.dialect import insert_for
from db.models import OutboxMessage, utcnow


async def enqueue(
    session: AsyncSession,
    *,
    user_id: int,
    kind: str,
    template: str,
    params: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
    broadcast_id: int | None = None,
    attachment_kind: str | None = None,
    attachment_ref: str | None = None,
    not_before: datetime | None = None,
) -> bool:
    """Queues one message; returns False when a message with the same dedupe_key exists
    already (so a sweep that runs twice sends nothing twice)."""
    values = {
        "user_id": user_id,
        "kind": kind,
        "template": template,
        "params": params or {},
        "dedupe_key": dedupe_key,
        "broadcast_id": broadcast_id,
        "attachment_kind": attachment_kind,
        "attachment_ref": attachment_ref,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": not_before or utcnow(),
        "created_at": utcnow(),
    }
    if dedupe_key is None:
        session.add(OutboxMessage(**values))
        await session.flush()
        return True
    insert = insert_for(session)
    statement = (
        insert(OutboxMessage).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"])
    )
    result = await session.execute(statement)
    return bool(getattr(result, "rowcount", 0))  # an insert's CursorResult


async def pending_for(session: AsyncSession, user_id: int) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(
        OutboxMessage.user_id == user_id, OutboxMessage.status == "pending"
    )
    return list(await session.scalars(query.order_by(OutboxMessage.id)))
