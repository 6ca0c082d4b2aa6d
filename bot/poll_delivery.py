"""Outbox rows of the poll kinds, sent by the delivery worker (bot/delivery.py hands them here):
"poll" sends a native Telegram poll in the person's language and remembers its poll id, so
poll_answer updates find our poll; "poll_stop" stops one sent copy. Telegram's errors (429,
403, network) propagate to the worker, which handles them as for any message."""

import weakref
from typing import Any, Protocol

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import InputPollOption
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services import polls
from db.models import Poll, PollCopy, User, utcnow

TEMPLATES = frozenset({"poll", "poll_stop"})


class Row(Protocol):
    @property
    def chat_id(self) -> int: ...
    @property
    def locale(self) -> str: ...
    @property
    def template(self) -> str: ...
    @property
    def params(self) -> dict[str, Any]: ...


async def send(bot: Bot, session_factory: async_sessionmaker[AsyncSession], row: Row) -> int:
    """Sends (or stops) one poll copy; returns the Telegram message id."""
    if row.template == "poll_stop":
        return await _stop(bot, session_factory, row)
    poll = await _content(session_factory, int(row.params["poll_id"]))
    user_id = row.params.get("user_id")
    if user_id is None:
        async with session_factory() as session:
            user_id = await session.scalar(select(User.id).where(User.telegram_id == row.chat_id))
    if user_id is None:
        raise ValueError(f"the recipient of poll {poll.id} is gone")
    message = await bot.send_poll(
        row.chat_id,
        question=poll.question(row.locale),
        options=[InputPollOption(text=text) for text in poll.option_texts(row.locale)],
        # Telegram tells the bot who answered only in a poll that is not anonymous; the
        # bot itself keeps an anonymous poll's answers from the organizers.
        is_anonymous=False,
        allows_multiple_answers=poll.allows_multiple,
        question_parse_mode=None,  # plain text, as the organizer typed it
        description=_note(row) or None,
        description_parse_mode=None,
    )
    assert message.poll is not None
    async with session_factory() as session:
        copy = PollCopy(
            telegram_poll_id=message.poll.id,
            poll_id=poll.id,
            user_id=user_id,
            language=row.locale,
            chat_id=row.chat_id,
            message_id=message.message_id,
        )
        session.add(copy)
        await session.flush()
        # Closed while this copy was on its way: stop it too.
        if await session.scalar(select(Poll.status).where(Poll.id == poll.id)) != "open":
            await polls.enqueue_stops(session, [copy])
        await session.commit()
    return message.message_id


# A poll's question and options never change once it is sent: read once per database (the
# session factory stands for it) and process.
_CONTENT: "weakref.WeakKeyDictionary[async_sessionmaker[AsyncSession], dict[int, Poll]]" = (
    weakref.WeakKeyDictionary()
)
_CONTENT_KEPT = 64


async def _content(session_factory: async_sessionmaker[AsyncSession], poll_id: int) -> Poll:
    known = _CONTENT.setdefault(session_factory, {})
    poll = known.get(poll_id)
    if poll is None:
        async with session_factory() as session:
            poll = await session.get(Poll, poll_id)
            if poll is None:
                raise ValueError(f"poll {poll_id} is gone")
            session.expunge(poll)
        if len(known) >= _CONTENT_KEPT:
            known.pop(next(iter(known)))
        known[poll_id] = poll
    return poll


def _note(row: Row) -> str:
    notes: dict[str, str] = row.params.get("note") or {}
    return notes.get(row.locale) or next(iter(notes.values()), "")


async def _stop(bot: Bot, session_factory: async_sessionmaker[AsyncSession], row: Row) -> int:
    async with session_factory() as session:
        copy = await session.get(PollCopy, row.params["telegram_poll_id"])
    if copy is None or copy.stopped_at is not None:
        return 0
    try:
        await bot.stop_poll(copy.chat_id, copy.message_id)
    except TelegramBadRequest as error:
        # Already closed, or the person deleted the message: nothing left to stop.
        if "already been closed" not in error.message and "not found" not in error.message:
            raise
    async with session_factory() as session:
        await session.execute(
            update(PollCopy)
            .where(PollCopy.telegram_poll_id == copy.telegram_poll_id)
            .values(stopped_at=utcnow())
        )
        await session.commit()
    return copy.message_id
