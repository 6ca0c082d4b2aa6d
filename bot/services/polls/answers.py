"""A person's answers stored against them, and the organizer's live results message remembered."""

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.dialect import insert_for
from db.models import (
    Poll,
    PollAnswer,
    PollCopy,
    User,
    utcnow,
)


async def attach_results_message(
    session: AsyncSession, poll_ids: list[int], chat_id: int, message_id: int
) -> None:
    await session.execute(
        update(Poll)
        .where(Poll.id.in_(poll_ids))
        .values(results_chat_id=chat_id, results_message_id=message_id, results_text=None)
    )


# --- answers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answered:
    outcome: str  # "stored", "retracted", "closed", "unknown"
    poll: Poll | None = None


async def record_answer(
    session: AsyncSession, telegram_poll_id: str, user: User, option_ids: list[int]
) -> Answered:
    """Stores the person's answer (or its retraction) against our poll. An answer to a closed
    poll is not counted; the caller tells the person."""
    poll = await session.scalar(
        select(Poll)
        .join(PollCopy, PollCopy.poll_id == Poll.id)
        .where(PollCopy.telegram_poll_id == telegram_poll_id, PollCopy.user_id == user.id)
    )
    if poll is None:
        return Answered("unknown")
    if poll.status != "open":
        return Answered("closed", poll)
    chosen = sorted({i for i in option_ids if 0 <= i < len(poll.options)})
    if not poll.allows_multiple:
        chosen = chosen[:1]
    now = utcnow()
    values = {
        "poll_id": poll.id,
        "user_id": user.id,
        "option_ids": chosen,
        "answered_at": now,
        "retracted_at": None if chosen else now,
    }
    statement = insert_for(session)(PollAnswer).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["poll_id", "user_id"],
        set_={k: v for k, v in values.items() if k not in ("poll_id", "user_id")},
    )
    await session.execute(statement)
    return Answered("stored" if chosen else "retracted", poll)


# --- results -------------------------------------------------------------------------------
