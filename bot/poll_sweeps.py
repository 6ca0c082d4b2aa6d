"""The sweeps of polls and surveys (listed in bot/scheduler.py's SWEEPS): the post-event
survey and its reminder, and the organizers' live poll results, edited at most every
polls.LIVE_INTERVAL and only when the figures changed (one edit per chat a round), so a poll
answered by thousands a minute costs a few edits, far under Telegram's limits."""

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter

from bot.keyboards.polls import markup
from bot.notices.polls import render_results
from bot.services import polls, surveys
from db.models import utcnow

if TYPE_CHECKING:
    from bot.context import App

log = logging.getLogger(__name__)


async def sweep_event_surveys(app: "App", now: datetime | None = None) -> int:
    """Asks the participants of events that ended; reminds a day later those who did not
    answer. Returns how many messages were queued."""
    now = now or utcnow()
    async with app.session_factory() as session:
        queued = await surveys.queue_due_surveys(session, now)
        queued += await surveys.queue_due_reminders(session, now)
        await session.commit()
    return queued


async def sweep_poll_results(app: "App", now: datetime | None = None) -> int:
    """Refreshes the organizers' live results messages that are due; returns how many edits."""
    now = now or utcnow()
    views = []
    async with app.session_factory() as session:
        for poll, locale in await polls.live_due(session, now):
            results = await polls.results(session, poll, locale)
            delivery = await polls.delivery_counts(session, poll.id)
            with app.i18n.context(), app.i18n.use_locale(locale):
                text, buttons = render_results(results, delivery, poll.shared_at is not None)
            views.append((poll, text, buttons))
    edited = 0
    for poll, text, buttons in views:
        if text != poll.results_text:
            try:
                await app.bot.edit_message_text(
                    text,
                    chat_id=poll.results_chat_id,
                    message_id=poll.results_message_id,
                    reply_markup=markup(buttons),
                )
                edited += 1
            except TelegramRetryAfter:
                break  # the next round tries again; nothing is lost
            except (TelegramBadRequest, TelegramForbiddenError) as error:
                if "not modified" not in error.message:
                    log.warning("live results of poll %s: %s", poll.id, error.message)
        async with app.session_factory() as session:
            await polls.live_shown(session, poll.id, text, utcnow())
            await session.commit()
    return edited
