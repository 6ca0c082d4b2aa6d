"""The outbox worker: the one place that sends messages that are not direct replies.

Rows are claimed in short transactions (FOR UPDATE SKIP LOCKED on PostgreSQL, so several
processes never take the same row), sent outside any transaction, and their outcome
written back. The pace is the bot's one pace (bot/send_rate.py): the outbox takes the slots
replies leave, one message a second to one chat, and every process slows down after a 429.

When nothing is due the worker sleeps until the next row is due, until rows are added (a
signal after their commit, in this process; on PostgreSQL a NOTIFY from any process,
`listen`), or for IDLE_POLL_SECONDS at most (a look that still finds rows if the listener
is down).

The package: `worker` claims rows and records what came of them, `listen` wakes it on
PostgreSQL, `sending` renders and sends one row, `progress` keeps the announcements'
progress messages current."""

import asyncio

from bot.context import App
from bot.delivery.progress import (
    COMPACT_EVERY_SECONDS,
    broadcasts_progress_loop,
    broadcasts_render,
    compact,
    update_progress,
    wait_or_stop,
)
from bot.delivery.sending import CAPTION_LIMIT, Claimed, inline_markup, send
from bot.delivery.worker import BATCH, IDLE_POLL_SECONDS, IN_FLIGHT, DeliveryWorker, create_worker

__all__ = [
    "BATCH",
    "CAPTION_LIMIT",
    "COMPACT_EVERY_SECONDS",
    "IDLE_POLL_SECONDS",
    "IN_FLIGHT",
    "Claimed",
    "DeliveryWorker",
    "broadcasts_progress_loop",
    "broadcasts_render",
    "compact",
    "create_worker",
    "inline_markup",
    "run_delivery",
    "send",
    "update_progress",
    "wait_or_stop",
]


async def run_delivery(app: App) -> None:
    """The outbox sender and the announcements' progress, until the app stops."""
    await asyncio.gather(create_worker(app).run(app.stopping), broadcasts_progress_loop(app))
