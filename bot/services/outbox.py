"""Adds messages to the outbox, in the caller's transaction. Only bot/delivery.py sends them.

Once a transaction that added rows commits, the delivery workers of this process are woken
(`on_rows_added`), so an idle worker need not poll the database."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, event, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from db.dialect import insert_for, is_postgres
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
    values = new_row(
        user_id=user_id,
        kind=kind,
        template=template,
        params=params,
        not_before=not_before,
        dedupe_key=dedupe_key,
        broadcast_id=broadcast_id,
        attachment_kind=attachment_kind,
        attachment_ref=attachment_ref,
    )
    rows_added(session)
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


def new_row(
    *,
    user_id: int,
    kind: str,
    template: str,
    params: dict[str, Any] | None = None,
    not_before: datetime | None = None,
    **columns: Any,
) -> dict[str, Any]:
    """The columns of one pending message (for enqueue, and for enqueue_many's rows), sent
    from `not_before` on (now when not given)."""
    return {
        "user_id": user_id,
        "params": params or {},
        **columns,
        **pending_columns(kind, template, not_before),
    }


def pending_columns(
    kind: str, template: str | None = None, not_before: datetime | None = None
) -> dict[str, Any]:
    """What every pending message starts with, whoever it is for (new_row's, and those a
    sweep's rows of one chunk share): template defaults to the kind."""
    now = utcnow()
    return {
        "kind": kind,
        "template": template or kind,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": not_before or now,
        "created_at": now,
    }


async def enqueue_many(
    session: AsyncSession, rows: list[dict[str, Any]], *, skip_existing: bool = False
) -> int:
    """Queues many messages in one statement (rows from new_row, or dicts with all of its
    columns; every row with the same columns) and returns how many were added. Without
    skip_existing there is no dedupe check: for an audience fanned out once (announcements,
    polls). With it, a row whose dedupe_key exists already is skipped (a sweep run twice
    sends nothing twice)."""
    if not rows:
        return 0
    rows_added(session)
    # One statement at the driver, each distinct value converted once by its column's type
    # (a sweep's rows share their times, and an escalation's organizers their params):
    # SQLAlchemy would convert every value of every row, which was most of a 30,000-row
    # sweep's time. PostgreSQL takes a column's values as one array (unnest), and its
    # INSERT status counts the rows really added; SQLite does one executemany.
    columns = list(rows[0])
    values = [_bound_values(session, name, [row[name] for row in rows]) for name in columns]
    sql = f"INSERT INTO {OutboxMessage.__tablename__} ({', '.join(columns)})"
    if is_postgres(session):
        dialect = session.get_bind().dialect
        arrays = ", ".join(
            f"${n}::{OutboxMessage.__table__.c[name].type.compile(dialect)}[]"
            for n, name in enumerate(columns, start=1)
        )
        sql += f" SELECT * FROM unnest({arrays})"
        parameters: Any = tuple(values)
    else:
        sql += f" VALUES ({', '.join('?' * len(columns))})"
        parameters = list(zip(*values, strict=True))
    if skip_existing:
        sql += " ON CONFLICT (dedupe_key) DO NOTHING"
    await session.flush()  # as session.execute() would: the rows may refer to pending objects
    connection = await session.connection()
    result = await connection.exec_driver_sql(sql, parameters)
    return result.rowcount  # rows added: a skipped one counts 0


def _bound_values(session: AsyncSession, name: str, values: list[Any]) -> list[Any]:
    """A column's values as its type gives them to the driver, each distinct one converted
    once (params by identity: a dict shared by several rows is serialized once)."""
    column_type = OutboxMessage.__table__.c[name].type
    dialect = session.get_bind().dialect
    process = column_type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return values
    done: dict[Any, Any] = {}
    by_identity = isinstance(column_type, JSON)
    result = []
    for value in values:
        key = id(value) if by_identity else value
        if key not in done:
            done[key] = process(value)
        result.append(done[key])
    return result


async def pending_for(session: AsyncSession, user_id: int) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(
        OutboxMessage.user_id == user_id, OutboxMessage.status == "pending"
    )
    return list(await session.scalars(query.order_by(OutboxMessage.id)))


_ADDED = "kenesh_outbox_rows_added"
_listeners: list[Callable[[], None]] = []


def rows_added(session: AsyncSession) -> None:
    """Marks the transaction: the delivery workers are woken once it commits."""
    session.sync_session.info[_ADDED] = True


def on_rows_added(listener: Callable[[], None]) -> None:
    _listeners.append(listener)


def off_rows_added(listener: Callable[[], None]) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(_ADDED, False):
        for listener in list(_listeners):
            listener()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_ADDED, None)


# On PostgreSQL the delivery workers of every process listen here (bot/delivery/listen.py).
NOTIFY_CHANNEL = "kenesh_outbox"


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    # NOTIFY is part of the transaction: PostgreSQL delivers it only if the transaction
    # commits. An AsyncSession runs this inside its greenlet, so the statement can be sent.
    if session.info.get(_ADDED) and session.get_bind().dialect.name == "postgresql":
        session.connection().exec_driver_sql(f"NOTIFY {NOTIFY_CHANNEL}")
