"""The outbox worker: claims due rows in batches, sends each in its turn of the pace, and
writes the outcome back (sent, retried later, failed, or the person unreachable)."""

import asyncio
import logging
import time
from datetime import timedelta
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.utils.i18n import I18n
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.context import App
from bot.delivery.listen import OutboxListener, listener_for
from bot.delivery.sending import Claimed, send
from bot.send_rate import Pace, bulk_calls, pace_of
from bot.services import broadcasts, outbox
from db.dialect import is_postgres
from db.engine import read_only
from db.models import Broadcast, OutboxMessage, User, utcnow

log = logging.getLogger(__name__)

BATCH = 50
IN_FLIGHT = 4
IDLE_POLL_SECONDS = 2.0


class DeliveryWorker:
    def __init__(
        self,
        bot: Bot,
        session_factory: async_sessionmaker[AsyncSession],
        i18n: I18n,
        *,
        max_attempts: int,
        claim_lease: timedelta = timedelta(seconds=60),
    ) -> None:
        self.bot = bot
        self.session_factory = session_factory
        self.i18n = i18n
        self.pace: Pace = pace_of(bot)
        self.max_attempts = max_attempts
        self.claim_lease = claim_lease
        self._in_hand: list[int] = []
        self._recovered_at = 0.0
        self._stopping = asyncio.Event()
        self._rows_added = asyncio.Event()
        self._next_due: float | None = None
        # On PostgreSQL, rows committed by other processes wake this worker too.
        self.listener: OutboxListener | None = None

    async def run(self, stopping: asyncio.Event | None = None) -> None:
        """Sends until `stopping` is set, then returns with nothing left claimed."""
        if stopping is not None:
            self._stopping = stopping
        outbox.on_rows_added(self._rows_added.set)
        self.listener = listener_for(self.session_factory, self._rows_added.set)
        if self.listener is not None:
            self.listener.start()
        worked = False
        try:
            while not self._stopping.is_set():
                self._rows_added.clear()
                try:
                    await self._recover_now_and_then()
                    # After an idle round, look before claiming: a look takes no write lock.
                    if worked or await self._work_waiting():
                        fanned = await self.fan_out()
                        worked = bool(await self.run_once() or fanned)
                    else:
                        worked = False
                except Exception:
                    log.exception("delivery round failed; retrying shortly")
                    worked = False
                if not worked:
                    await self._idle()
        except asyncio.CancelledError:
            # Cancelled after all: still hand back what was claimed and not sent yet.
            await asyncio.shield(self.release(list(self._in_hand)))
            raise
        finally:
            outbox.off_rows_added(self._rows_added.set)
            if self.listener is not None:
                await self.listener.stop()

    async def _idle(self) -> None:
        """Nothing was due: sleep until the next row is, rows are added, or the app stops."""
        seconds = IDLE_POLL_SECONDS
        if self._next_due is not None:
            seconds = min(seconds, max(self._next_due - time.time(), 0.05))
        woken = asyncio.ensure_future(self._rows_added.wait())
        stopping = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait({woken, stopping}, timeout=seconds, return_when="FIRST_COMPLETED")
        finally:
            woken.cancel()
            stopping.cancel()

    async def run_once(self) -> int:
        """Claims one batch and delivers it, IN_FLIGHT messages at a time (each waits for
        its turn of the pace, so a slow send or database write does not slow the rate);
        returns how many rows were handled."""
        batch = await self.claim(BATCH)
        claimed_at = time.monotonic()
        self._in_hand = [row.id for row in batch]  # claimed and not started
        slots = asyncio.Semaphore(IN_FLIGHT)
        started: list[asyncio.Future[None]] = []
        try:
            for row in batch:
                await slots.acquire()
                held = time.monotonic() - claimed_at > self.claim_lease.total_seconds() / 2
                if held or self._stopping.is_set():
                    # Stopping, or held this long (a long 429 pause) that the rest could soon
                    # look abandoned to another process and be sent twice: hand them back.
                    slots.release()
                    break
                self._in_hand.remove(row.id)
                task = asyncio.ensure_future(self.deliver(row))
                task.add_done_callback(lambda _: slots.release())
                started.append(task)
        finally:
            # The messages in flight finish and are recorded, even on a clean stop or a
            # cancel, so they are not handed back and sent a second time.
            everything = asyncio.gather(*started, return_exceptions=True)
            try:
                outcomes = await asyncio.shield(everything)
            except asyncio.CancelledError:
                await everything
                raise
            for outcome in outcomes:
                if isinstance(outcome, BaseException):
                    log.error("an outbox message failed", exc_info=outcome)
            await self.release(list(self._in_hand))
            self._in_hand = []
        return len(batch)

    async def fan_out(self) -> bool:
        """Adds one chunk of an announcement's recipients to the outbox, if one waits."""
        async with self.session_factory() as session:
            worked = await broadcasts.fan_out(session)
            await session.commit()
        return worked

    async def _work_waiting(self) -> bool:
        """Whether a row is due or an announcement waits to be fanned out, asked in a
        transaction that only reads (on SQLite no write lock: an idle bot writes nothing);
        notes when the next row is due."""
        async with self.session_factory() as session:
            await read_only(session)
            await self._note_next_due(session)
            if self._next_due is not None and self._next_due <= utcnow().timestamp():
                return True
            return await broadcasts.fanning_out(session)

    async def _note_next_due(self, session: AsyncSession) -> None:
        """When the next pending row is due (a retry, a chat's interval, a reminder queued
        for later), for the idle sleep; None when nothing is pending."""
        next_due = await session.scalar(
            select(func.min(OutboxMessage.next_attempt_at)).where(OutboxMessage.status == "pending")
        )
        self._next_due = next_due.timestamp() if next_due is not None else None

    async def _recover_now_and_then(self) -> None:
        if time.monotonic() - self._recovered_at >= self.claim_lease.total_seconds() / 2:
            if await self._abandoned():
                await self.recover()
            self._recovered_at = time.monotonic()

    async def _abandoned(self) -> bool:
        """Whether `recover` would find a row, asked without a write lock."""
        async with self.session_factory() as session:
            await read_only(session)
            query = select(OutboxMessage.id).where(*self._abandoned_rows()).limit(1)
            return await session.scalar(query) is not None

    def _abandoned_rows(self) -> tuple[Any, ...]:
        return (
            OutboxMessage.status.in_(("sending", "inflight")),
            OutboxMessage.claimed_at < utcnow() - self.claim_lease,
        )

    async def recover(self) -> int:
        """Rows claimed longer ago than the lease belong to a process that died (this one
        before a restart, or another one): they go back to the queue. A row in flight at
        the crash may be sent twice; nothing is lost."""
        async with self.session_factory() as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(*self._abandoned_rows())
                .values(status="pending", claimed_at=None)
            )
            await session.commit()
            return result.rowcount or 0  # type: ignore[attr-defined]

    async def release(self, row_ids: list[int]) -> None:
        if not row_ids:
            return
        async with self.session_factory() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(row_ids), OutboxMessage.status == "sending")
                .values(status="pending", claimed_at=None)
            )
            await session.commit()

    async def claim(self, limit: int) -> list[Claimed]:
        now = utcnow()
        async with self.session_factory() as session:
            query = (
                select(OutboxMessage, User.telegram_id, User.language, User.is_reachable)
                .join(User, User.id == OutboxMessage.user_id)
                .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                .limit(limit)
            )
            if is_postgres(session):
                query = query.with_for_update(of=OutboxMessage, skip_locked=True)
            claimed: list[Claimed] = []
            found = (await session.execute(query)).all()
            contents = await self._contents(session, {r.broadcast_id for r, *_ in found})
            for row, telegram_id, language, reachable in found:
                if not reachable:
                    row.status, row.error = "dropped", "unreachable: the person blocked the bot"
                    continue
                row.status, row.claimed_at = "sending", now
                params, attachment = dict(row.params), (row.attachment_kind, row.attachment_ref)
                if row.broadcast_id in contents:
                    # The announcement's content is stored once, on the announcement.
                    shared, attachment = contents[row.broadcast_id]
                    params = {**shared, **params}
                claimed.append(
                    Claimed(
                        row.id,
                        telegram_id,
                        language or "ky",
                        row.template,
                        params,
                        attachment[0],
                        attachment[1],
                        row.attempts,
                        row.broadcast_id,
                    )
                )
            self._next_due = None
            if not claimed:
                await self._note_next_due(session)
            await session.commit()
            return claimed

    async def _contents(
        self, session: AsyncSession, broadcast_ids: set[int | None]
    ) -> dict[int, tuple[dict[str, Any], tuple[str | None, str | None]]]:
        ids = {i for i in broadcast_ids if i is not None}
        if not ids:
            return {}
        found = await session.scalars(select(Broadcast).where(Broadcast.id.in_(ids)))
        return {b.id: (broadcasts.content(b), (b.attachment_kind, b.attachment_ref)) for b in found}

    async def deliver(self, row: Claimed) -> None:
        with bulk_calls(prepaid=True):
            wait = await self.pace.bulk_turn(row.chat_id)
            if wait > 0:
                # One message a second to one chat: this row waits, the others go on.
                await self._record(row.id, status="pending", next_attempt_at=_later(wait))
                return
            if row.broadcast_id is not None and not await self._take_off(row.id):
                return  # the organizer stopped the announcement: the row was dropped
            await self._send_and_record(row)

    async def _take_off(self, row_id: int) -> bool:
        """An announcement's row goes from claimed to in flight just before it is sent,
        unless Stop dropped it first; Stop then never counts a message that goes out."""
        async with self.session_factory() as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, OutboxMessage.status == "sending")
                .values(status="inflight")
            )
            await session.commit()
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def _send_and_record(self, row: Claimed) -> None:
        try:
            message_id = await self._send(row)
        except TelegramRetryAfter as error:
            # Waited out and tried again several times already (bot/send_rate.py).
            await self._record(row.id, status="pending", next_attempt_at=_later(error.retry_after))
        except TelegramForbiddenError as error:
            await self._unreachable(row, error.message)
        except TelegramBadRequest as error:
            await self._record(row.id, status="failed", error=error.message)
        except (TelegramNetworkError, TelegramServerError) as error:
            attempts = row.attempts + 1
            if attempts >= self.max_attempts:
                await self._record(row.id, status="failed", attempts=attempts, error=str(error))
            else:
                backoff = min(2**attempts, 300)
                await self._record(
                    row.id,
                    status="pending",
                    attempts=attempts,
                    error=str(error),
                    next_attempt_at=_later(backoff),
                )
        except Exception as error:  # a renderer bug must not stop everyone else's messages
            log.exception("outbox row %s could not be sent", row.id)
            await self._record(row.id, status="failed", error=f"{type(error).__name__}: {error}")
        else:
            await self._record(
                row.id, status="sent", sent_at=utcnow(), telegram_message_id=message_id, error=None
            )

    async def _send(self, row: Claimed) -> int:
        return await send(self.bot, self.session_factory, self.i18n, row)

    async def _record(self, row_id: int, **values: Any) -> None:
        async with self.session_factory() as session:
            await session.execute(
                update(OutboxMessage).where(OutboxMessage.id == row_id).values(**values)
            )
            await session.commit()

    async def _unreachable(self, row: Claimed, reason: str) -> None:
        """403: the person blocked the bot (or is gone). Stop writing to them until they
        come back, and drop what was waiting for them."""
        async with self.session_factory() as session:
            user_id = await session.scalar(
                select(OutboxMessage.user_id).where(OutboxMessage.id == row.id)
            )
            await session.execute(update(User).where(User.id == user_id).values(is_reachable=False))
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id)
                .values(status="dropped", error=reason)
            )
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.user_id == user_id, OutboxMessage.status == "pending")
                .values(status="dropped", error=reason)
            )
            await session.commit()


def _later(seconds: float) -> Any:
    return utcnow() + timedelta(seconds=seconds)


def create_worker(app: App) -> DeliveryWorker:
    settings = app.settings
    return DeliveryWorker(
        app.bot,
        app.session_factory,
        app.i18n,
        max_attempts=settings.outbox_max_attempts,
        claim_lease=timedelta(seconds=settings.outbox_claim_lease_seconds),
    )
