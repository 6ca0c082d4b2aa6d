"""Closing a poll (every copy stopped through the outbox) and sharing its results with
everyone who got it."""

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.polls.figures import Results
from bot.services.polls.limits import CLOSED
from db.dialect import insert_for
from db.models import (
    OutboxMessage,
    Poll,
    PollCopy,
    utcnow,
)


async def close(session: AsyncSession, poll: Poll) -> int:
    """No more answers are counted; every copy sent is stopped (stopPoll through the outbox)
    and copies not sent yet are held back. Returns how many copies are to be stopped."""
    if poll.status != "open":
        return 0
    poll.status, poll.closed_at = "closed", utcnow()
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.template == "poll",
            OutboxMessage.dedupe_key.like(f"poll:{poll.id}:%"),
            OutboxMessage.status == "pending",
        )
        .values(status="dropped", error=CLOSED)
    )
    copies = list(
        await session.scalars(
            select(PollCopy).where(PollCopy.poll_id == poll.id, PollCopy.stopped_at.is_(None))
        )
    )
    await enqueue_stops(session, copies)
    return len(copies)


async def enqueue_stops(session: AsyncSession, copies: list[PollCopy]) -> None:
    if not copies:
        return
    now = utcnow()
    statement = insert_for(session)(OutboxMessage).on_conflict_do_nothing(
        index_elements=["dedupe_key"]
    )
    await session.execute(
        statement,
        [
            {
                "user_id": copy.user_id,
                "kind": "poll",
                "template": "poll_stop",
                "params": {"poll_id": copy.poll_id, "telegram_poll_id": copy.telegram_poll_id},
                "dedupe_key": f"poll-stop:{copy.telegram_poll_id}",
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for copy in copies
        ],
    )


async def share(session: AsyncSession, poll: Poll, locale_results: dict[str, Results]) -> int:
    """Sends the results to everyone who got the poll (once). Returns how many."""
    if poll.shared_at is not None:
        return 0
    poll.shared_at = utcnow()
    recipients = list(
        await session.scalars(select(PollCopy.user_id).where(PollCopy.poll_id == poll.id))
    )
    if not recipients:
        return 0
    params = {
        "question": {lang: r.question for lang, r in locale_results.items()},
        "options": {lang: r.options for lang, r in locale_results.items()},
        "counts": next(iter(locale_results.values())).counts,
        "answered": next(iter(locale_results.values())).answered,
    }
    now = utcnow()
    statement = insert_for(session)(OutboxMessage).on_conflict_do_nothing(
        index_elements=["dedupe_key"]
    )
    await session.execute(
        statement,
        [
            {
                "user_id": user_id,
                "kind": "poll_results",
                "template": "poll_results",
                "params": params,
                "dedupe_key": f"poll-share:{poll.id}:{user_id}",
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for user_id in recipients
        ],
    )
    return len(recipients)
