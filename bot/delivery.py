"""The outbox worker: the one place that sends messages that are not direct replies.

Rows are claimed in short transactions (FOR UPDATE SKIP LOCKED on PostgreSQL, so several
processes never take the same row), sent outside any transaction, and their outcome
written back. The pace stays under Telegram's limits: an overall rate, one message a second
to one chat, and a slower pace for a while after a 429."""

import asyncio
import logging
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import notices, poll_delivery
from bot.send_rate import LocalSendRate, RedisSendRate, SendRate
from bot.services import broadcasts
from db import leases
from db.dialect import is_postgres
from db.models import Broadcast, OutboxMessage, User, utcnow

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

BATCH = 25
IDLE_POLL_SECONDS = 0.2
CAPTION_LIMIT = 1024


@dataclass(frozen=True)
class Claimed:
    id: int
    chat_id: int
    locale: str
    template: str
    params: dict[str, Any]
    attachment_kind: str | None
    attachment_ref: str | None
    attempts: int
    broadcast_id: int | None


class DeliveryWorker:
    def __init__(
        self,
        bot: Bot,
        session_factory: async_sessionmaker[AsyncSession],
        i18n: I18n,
        *,
        send_rate: SendRate,
        max_attempts: int,
        claim_lease: timedelta = timedelta(seconds=60),
    ) -> None:
        self.bot = bot
        self.session_factory = session_factory
        self.i18n = i18n
        self.send_rate = send_rate
        self.max_attempts = max_attempts
        self.claim_lease = claim_lease
        self._in_hand: list[int] = []
        self._recovered_at = 0.0
        self._stop_checks: dict[int, tuple[bool, float]] = {}
        self._stopping = asyncio.Event()

    async def run(self, stopping: asyncio.Event | None = None) -> None:
        """Sends until `stopping` is set, then returns with nothing left claimed."""
        if stopping is not None:
            self._stopping = stopping
        try:
            while not self._stopping.is_set():
                try:
                    await self._recover_now_and_then()
                    sent = await self.run_once()
                except Exception:
                    log.exception("delivery round failed; retrying shortly")
                    sent = 0
                if not sent:
                    await wait_or_stop(self._stopping, IDLE_POLL_SECONDS)
        except asyncio.CancelledError:
            # Cancelled after all: still hand back what was claimed and not sent yet.
            await asyncio.shield(self.release(list(self._in_hand)))
            raise

    async def run_once(self) -> int:
        """Claims one batch and delivers it; returns how many rows were handled."""
        batch = await self.claim(BATCH)
        claimed_at = time.monotonic()
        self._in_hand = [row.id for row in batch]
        for row in batch:
            held_too_long = time.monotonic() - claimed_at > self.claim_lease.total_seconds() / 2
            if held_too_long or self._stopping.is_set():
                # Stopping, or held this long (a long 429 pause) that the rest could soon
                # look abandoned to another process and be sent twice: hand them back.
                await self.release(list(self._in_hand))
                self._in_hand = []
                break
            in_flight = asyncio.ensure_future(self.deliver(row))
            try:
                await asyncio.shield(in_flight)
            except asyncio.CancelledError:
                # A clean stop lets the message in flight finish and be recorded, so it is
                # not handed back and sent a second time.
                await in_flight
                self._in_hand.remove(row.id)
                raise
            self._in_hand.remove(row.id)
        return len(batch)

    async def _recover_now_and_then(self) -> None:
        if time.monotonic() - self._recovered_at >= self.claim_lease.total_seconds() / 2:
            await self.recover()
            self._recovered_at = time.monotonic()

    async def recover(self) -> int:
        """Rows claimed longer ago than the lease belong to a process that died (this one
        before a restart, or another one): they go back to the queue. A row in flight at
        the crash may be sent twice; nothing is lost."""
        async with self.session_factory() as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.status == "sending",
                    OutboxMessage.claimed_at < utcnow() - self.claim_lease,
                )
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
            for row, telegram_id, language, reachable in (await session.execute(query)).all():
                if not reachable:
                    row.status, row.error = "dropped", "unreachable: the person blocked the bot"
                    continue
                row.status, row.claimed_at = "sending", now
                claimed.append(
                    Claimed(
                        row.id,
                        telegram_id,
                        language or "ky",
                        row.template,
                        dict(row.params),
                        row.attachment_kind,
                        row.attachment_ref,
                        row.attempts,
                        row.broadcast_id,
                    )
                )
            await session.commit()
            return claimed

    async def deliver(self, row: Claimed) -> None:
        if row.broadcast_id is not None and await self._stopped(row.broadcast_id):
            await self._record(row.id, status="dropped", error=broadcasts.STOPPED)
            return
        await self.send_rate.wait_turn()
        wait = await self.send_rate.claim_chat(row.chat_id)
        if wait > 0:
            # One message a second to one chat: this row waits, the others go on.
            await self._record(row.id, status="pending", next_attempt_at=_later(wait))
            return
        try:
            message_id = await self._send(row)
        except TelegramRetryAfter as error:
            await self.send_rate.back_off(error.retry_after)
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
        if row.template in poll_delivery.TEMPLATES:  # native polls (issue 19)
            return await poll_delivery.send(self.bot, self.session_factory, row)
        with self.i18n.context(), self.i18n.use_locale(row.locale):
            rendered = notices.render(row.template, row.params, row.locale)
        markup = _markup(rendered.buttons)
        if row.attachment_ref and len(rendered.text) > CAPTION_LIMIT:
            # Too long for a caption: the text, then the file under it without one.
            await self.bot.send_message(row.chat_id, rendered.text)
            rendered = notices.Notice("", rendered.buttons)
        if row.attachment_kind == "photo" and row.attachment_ref:
            message = await self.bot.send_photo(
                row.chat_id, row.attachment_ref, caption=rendered.text or None, reply_markup=markup
            )
        elif row.attachment_kind == "document" and row.attachment_ref:
            message = await self.bot.send_document(
                row.chat_id, row.attachment_ref, caption=rendered.text or None, reply_markup=markup
            )
        else:
            message = await self.bot.send_message(row.chat_id, rendered.text, reply_markup=markup)
        return message.message_id

    async def _stopped(self, broadcast_id: int) -> bool:
        """Whether the organizer stopped this announcement (asked at most twice a second)."""
        known = self._stop_checks.get(broadcast_id)
        if known is not None and time.monotonic() - known[1] < 0.5:
            return known[0]
        async with self.session_factory() as session:
            status = await session.scalar(
                select(Broadcast.status).where(Broadcast.id == broadcast_id)
            )
        stopped = status == "stopped"
        self._stop_checks[broadcast_id] = (stopped, time.monotonic())
        return stopped

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


def _markup(rows: list[list[notices.Button]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=b.text, callback_data=b.callback_data, url=b.url)
                for b in row
            ]
            for row in rows
        ]
    )


def create_send_rate(app: "App") -> SendRate:
    settings = app.settings
    if app.redis is None:
        return LocalSendRate(settings.outbox_rate_per_second, settings.outbox_chat_interval_seconds)
    return RedisSendRate(
        app.redis,
        app.redis_prefix,
        settings.outbox_rate_per_second,
        settings.outbox_chat_interval_seconds,
    )


def create_worker(app: "App") -> DeliveryWorker:
    settings = app.settings
    return DeliveryWorker(
        app.bot,
        app.session_factory,
        app.i18n,
        send_rate=create_send_rate(app),
        max_attempts=settings.outbox_max_attempts,
        claim_lease=timedelta(seconds=settings.outbox_claim_lease_seconds),
    )


async def run_delivery(app: "App") -> None:
    """The outbox sender and the announcements' progress, until the app stops."""
    await asyncio.gather(create_worker(app).run(app.stopping), broadcasts_progress_loop(app))


async def wait_or_stop(stopping: asyncio.Event, seconds: float) -> None:
    """Sleeps for `seconds`, or less when the app begins to stop."""
    with suppress(TimeoutError):
        await asyncio.wait_for(stopping.wait(), seconds)


async def broadcasts_progress_loop(app: "App") -> None:
    """Keeps each running announcement's progress message current (an edit every few
    seconds at most), and writes its final report. One process does it, the lease holder."""
    lease_seconds = broadcasts.PROGRESS_INTERVAL_SECONDS * 3
    while not app.stopping.is_set():
        try:
            async with app.session_factory() as session:
                mine = await leases.take(
                    session, "announcements-progress", app.process_id, lease_seconds
                )
                await session.commit()
            if mine:
                await update_progress(app)
        except Exception:
            log.exception("announcement progress update failed")
        await wait_or_stop(app.stopping, broadcasts.PROGRESS_INTERVAL_SECONDS)


async def update_progress(app: "App") -> None:
    async with app.session_factory() as session:
        views = await broadcasts.progress_views(session)
    for view in views:
        with app.i18n.context(), app.i18n.use_locale(view.locale):
            text, buttons = broadcasts_render(view)
        if text == view.last_text:
            continue
        try:
            await app.bot.edit_message_text(
                text,
                chat_id=view.chat_id,
                message_id=view.message_id,
                reply_markup=_markup(buttons),
            )
        except TelegramBadRequest as error:
            if "not modified" not in error.message:
                log.warning("progress of announcement %s: %s", view.broadcast_id, error.message)
        async with app.session_factory() as session:
            await broadcasts.progress_shown(session, view.broadcast_id, text, view.finished)


def broadcasts_render(view: "broadcasts.ProgressView") -> tuple[str, list[list[notices.Button]]]:
    from bot.notices.announcements import render_progress

    return render_progress(view)
