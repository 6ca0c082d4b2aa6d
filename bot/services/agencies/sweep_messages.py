"""The outbox rows of a follow-up sweep: one message per item and recipient, except for an
agency with GROUPED_FROM or more items due in the sweep, whose recipients get one message
listing them instead (how many, how many overdue, the most overdue first). A representative
with 300 overdue items gets one reminder instead of 300, and an organizer one escalation per
agency: Telegram lets a bot send about one message a second to one chat, so 300 would take
five minutes and bury everything else in the chat."""

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import outbox
from bot.services.agencies.queueing import Between, begin_reading
from db.dialect import is_postgres
from db.models import Agency, Forwarding

GROUPED_FROM = 4
# Proposal numbers a list names, the most overdue first; it says how many more there are.
LISTED = 20


async def due_lists(
    session: AsyncSession, due: Any, now: datetime, between: Between
) -> dict[int, dict[str, object]]:
    """The list's params of each agency with GROUPED_FROM or more items whose `due` column
    (a Forwarding time) has come, read before the sweep's first chunk changes them: given
    `between`, in a transaction of its own that only reads (on SQLite: no write lock)."""
    if between is None or is_postgres(session):  # there a read takes no lock: no need
        return await _read_lists(session, due, now)
    await begin_reading(session, between)
    lists = await _read_lists(session, due, now)
    await between()
    return lists


async def _read_lists(
    session: AsyncSession, due: Any, now: datetime
) -> dict[int, dict[str, object]]:
    # In one statement: each due item with its agency's counts and its rank there, the most
    # overdue first; kept, the first LISTED of each agency with GROUPED_FROM or more.
    # Partitioned by an expression of agency_id, not the column: given the column, SQLite
    # walked every item in agency order (its index; 240 ms at 100,000 items) instead of the
    # due ones by the due column's index (20 ms).
    agency = (Forwarding.agency_id + 0).label("agency_id")
    due_items = (
        select(
            agency,
            Forwarding.proposal_id,
            func.count().over(partition_by=agency).label("item_count"),
            func.count(case((Forwarding.due_at < now, 1))).over(partition_by=agency).label("late"),
            func.row_number()
            .over(partition_by=agency, order_by=(Forwarding.due_at, Forwarding.id))
            .label("rank"),
        )
        .where(due <= now)
        .subquery()
    )
    rows = await session.execute(
        select(due_items, Agency.name_ky, Agency.name_ru)
        .join(Agency, Agency.id == due_items.c.agency_id)
        .where(due_items.c.item_count >= GROUPED_FROM, due_items.c.rank <= LISTED)
        .order_by(due_items.c.agency_id, due_items.c.rank)
    )
    lists: dict[int, dict[str, object]] = {}
    for row in rows:
        listed = lists.setdefault(
            row.agency_id,
            {
                "agency_id": row.agency_id,
                "agency_ky": row.name_ky,
                "agency_ru": row.name_ru,
                "count": row.item_count,
                "late": row.late,
                "proposal_ids": [],
            },
        )
        listed["proposal_ids"].append(row.proposal_id)  # type: ignore[attr-defined]
    return lists


class SweepMessages:
    """A sweep's messages, gathered chunk by chunk (add, then take at the chunk's end)."""

    def __init__(
        self, kind: str, list_kind: str, lists: dict[int, dict[str, object]], now: datetime
    ) -> None:
        self._kind, self._list_kind, self._lists = kind, list_kind, lists
        self._listed: set[tuple[int, int]] = set()  # (recipient, agency): once a sweep
        self._rows: list[dict[str, object]] = []
        self._stamp()
        self._day = f"{now:%Y%m%d}"

    def add(self, user_id: int, agency_id: int, params: dict[str, object], key: str) -> None:
        """An item's message (params shared by its recipients; `key` plus the recipient's id
        is its dedupe key), or, for an agency with a list, that list once per recipient."""
        if agency_id not in self._lists:
            self._rows.append(
                {
                    "user_id": user_id,
                    "params": params,
                    "dedupe_key": f"{key}{user_id}",
                    **self._single,
                }
            )
            return
        if (user_id, agency_id) in self._listed:
            return
        self._listed.add((user_id, agency_id))
        listed = self._lists[agency_id]
        self._rows.append(
            {
                "user_id": user_id,
                "params": listed,
                "dedupe_key": f"{self._list_kind}:{self._list_key(listed)}:{user_id}",
                **self._list,
            }
        )

    def take(self) -> list[dict[str, object]]:
        """The chunk's rows; the next chunk's rows get their own times."""
        rows, self._rows = self._rows, []
        self._stamp()
        return rows

    def _stamp(self) -> None:
        """The columns the chunk's rows share, with their times (outbox.pending_columns)."""
        self._single = outbox.pending_columns(self._kind)
        self._list = outbox.pending_columns(self._list_kind)

    def _list_key(self, listed: dict[str, object]) -> str:
        """The same list on the same day (a sweep run again before it could record its
        progress) makes the same key, so it is sent once."""
        content = f"{self._day}|{listed['count']}|{listed['late']}|{listed['proposal_ids']}"
        digest = hashlib.blake2b(content.encode(), digest_size=8).hexdigest()
        return f"{listed['agency_id']}:{digest}"
