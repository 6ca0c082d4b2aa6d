"""The outbox rows of a follow-up sweep's chunk: one message per item and recipient, or, when
the chunk holds GROUPED_FROM or more items of one agency for one person, one message that
lists them. A representative with 300 overdue items gets one reminder instead of 300, and an
organizer one escalation per agency: Telegram lets a bot send about one message a second to
one chat, so 300 would take five minutes and bury everything else in the chat."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from db.models import utcnow

GROUPED_FROM = 4
# Proposal numbers a grouped message names, the most overdue first; it says how many more.
LISTED = 20


@dataclass(frozen=True)
class Item:
    """One item's message: its params (shared by its recipients) and dedupe key prefix."""

    params: dict[str, object]
    key: str  # the recipient's id completes it
    proposal_id: int
    late_days: int


def pending(kind: str) -> dict[str, object]:
    """The columns that every outbox row of a chunk shares (as outbox.new_row sets them)."""
    now = utcnow()
    return {
        "kind": kind,
        "template": kind,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


class ChunkMessages:
    """Gathers a chunk's items per recipient and agency, then gives its outbox rows."""

    def __init__(self, kind: str, grouped_kind: str) -> None:
        self._kind, self._grouped_kind = kind, grouped_kind
        self._items: defaultdict[tuple[int, int], list[Item]] = defaultdict(list)

    def add(self, user_id: int, agency_id: int, item: Item) -> None:
        self._items[user_id, agency_id].append(item)

    def grouped_agencies(self) -> set[int]:
        """The agencies a grouped message names (their names go in its params)."""
        return {a for (_, a), items in self._items.items() if len(items) >= GROUPED_FROM}

    def rows(self, agencies: dict[int, dict[str, object]]) -> list[dict[str, object]]:
        """The outbox rows; `agencies` gives each grouped agency's params (_agency_of)."""
        single, grouped = pending(self._kind), pending(self._grouped_kind)
        rows: list[dict[str, object]] = []
        for (user_id, agency_id), items in self._items.items():
            if len(items) < GROUPED_FROM:
                rows.extend(
                    {
                        "user_id": user_id,
                        "params": item.params,
                        "dedupe_key": f"{item.key}{user_id}",
                        **single,
                    }
                    for item in items
                )
                continue
            rows.append(
                {
                    "user_id": user_id,
                    "params": _list_params(agencies[agency_id], items),
                    "dedupe_key": _list_key(self._grouped_kind, items, user_id),
                    **grouped,
                }
            )
        return rows


def _list_params(agency: dict[str, object], items: list[Item]) -> dict[str, object]:
    urgent = sorted(items, key=lambda item: (-item.late_days, item.proposal_id))
    return {
        **agency,
        "count": len(items),
        "late": sum(1 for item in items if item.late_days > 0),
        "proposal_ids": [item.proposal_id for item in urgent[:LISTED]],
    }


def _list_key(kind: str, items: list[Item], user_id: int) -> str:
    """The same items, queued again, make the same key: a chunk queued twice sends once."""
    content = "|".join(sorted(item.key for item in items)).encode()
    return f"{kind}:{hashlib.blake2b(content, digest_size=12).hexdigest()}:{user_id}"
