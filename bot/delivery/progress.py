"""The announcements' progress: one process (the lease holder) keeps each running
announcement's progress message current and writes its final report, and now and then
clears the rows of announcements finished long ago (their figures stay)."""

import asyncio
import logging
import time
from contextlib import suppress
from datetime import timedelta

from aiogram.exceptions import (
    TelegramBadRequest,
)

from bot import notices
from bot.context import App
from bot.delivery.sending import inline_markup
from bot.send_rate import bulk_calls
from bot.services import broadcasts
from db import leases
from db.engine import read_only
from db.models import utcnow

log = logging.getLogger(__name__)

COMPACT_EVERY_SECONDS = 3600.0


async def wait_or_stop(stopping: asyncio.Event, seconds: float) -> None:
    """Sleeps for `seconds`, or less when the app begins to stop."""
    with suppress(TimeoutError):
        await asyncio.wait_for(stopping.wait(), seconds)


async def broadcasts_progress_loop(app: App) -> None:
    """Keeps each running announcement's progress message current (an edit every few
    seconds at most), and writes its final report. One process does it, the lease holder.
    With nothing to show and no compaction due, it only looks (no lease, no write)."""
    lease_seconds = broadcasts.PROGRESS_INTERVAL_SECONDS * 3
    compacted_at = 0.0
    while not app.stopping.is_set():
        try:
            compaction_due = time.monotonic() - compacted_at > COMPACT_EVERY_SECONDS
            if compaction_due or await _progress_pending(app):
                async with app.session_factory() as session:
                    mine = await leases.take(
                        session, "announcements-progress", app.process_id, lease_seconds
                    )
                    await session.commit()
                if mine:
                    await update_progress(app)
                if compaction_due:  # each process tries once an hour; the lease holder does it
                    compacted_at = time.monotonic()
                    if mine:
                        await compact(app)
        except Exception:
            log.exception("announcement progress update failed")
        await wait_or_stop(app.stopping, broadcasts.PROGRESS_INTERVAL_SECONDS)


async def _progress_pending(app: App) -> bool:
    async with app.session_factory() as session:
        await read_only(session)
        return await broadcasts.progress_pending(session)


async def compact(app: App) -> int:
    """Announcements finished more than OUTBOX_KEEP_DAYS ago keep their figures, not rows."""
    older_than = utcnow() - timedelta(days=app.settings.outbox_keep_days)
    async with app.session_factory() as session:
        deleted = await broadcasts.compact(session, older_than)
        await session.commit()
    return deleted


async def update_progress(app: App) -> None:
    async with app.session_factory() as session:
        views = await broadcasts.progress_views(session)
    for view in views:
        with app.i18n.context(), app.i18n.use_locale(view.locale):
            text, buttons = broadcasts_render(view)
        if text == view.last_text:
            continue
        try:
            with bulk_calls():  # nobody is waiting for it: it takes what replies leave
                await app.bot.edit_message_text(
                    text,
                    chat_id=view.chat_id,
                    message_id=view.message_id,
                    reply_markup=inline_markup(buttons),
                )
        except TelegramBadRequest as error:
            if "not modified" not in error.message:
                log.warning("progress of announcement %s: %s", view.broadcast_id, error.message)
        async with app.session_factory() as session:
            await broadcasts.progress_shown(session, view.broadcast_id, text, view.finished)


def broadcasts_render(view: "broadcasts.ProgressView") -> tuple[str, list[list[notices.Button]]]:
    from bot.notices.announcements import render_progress

    return render_progress(view)
