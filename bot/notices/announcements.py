"""An organizer's announcement, and the progress view its author watches."""

from datetime import timedelta
from html import escape
from typing import Any

from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _

from bot.i18n import format_left, format_number
from bot.keyboards.callbacks import BroadcastCb
from bot.notices.registry import Button, Notice, notice
from bot.services.broadcasts import ProgressView
from db.models import utcnow

BAR_WIDTH = 20


@notice("announcement")
def announcement(params: dict[str, Any], locale: str) -> Notice:
    texts: dict[str, str] = params["texts"]
    text = texts.get(locale) or next(iter(texts.values()), "")
    # Organizers write plain text: shown exactly as typed.
    return Notice(escape(text, quote=False))


def render_progress(view: ProgressView) -> tuple[str, list[list[Button]]]:
    done = view.total - view.waiting
    filled = round(BAR_WIDTH * done / view.total) if view.total else BAR_WIDTH
    bar = "█" * filled + "░" * (BAR_WIDTH - filled)
    locale = get_i18n().current_locale

    def number(value: int) -> str:  # "100 000": grouped as the locale writes it
        return format_number(value, locale)

    lines = [
        _("<b>Announcement</b>") if not view.finished else _("<b>Announcement: report</b>"),
        f"{bar} {number(done)}/{number(view.total)}",
        _("Delivered: {sent}").format(sent=number(view.sent)),
        _("Blocked the bot: {blocked}").format(blocked=number(view.blocked)),
        _("Failed: {failed}").format(failed=number(view.failed)),
    ]
    if view.stopped:
        lines.append(_("Not sent (stopped): {stopped}").format(stopped=number(view.stopped)))
    if not view.finished:
        lines.append(_("Waiting: {waiting}").format(waiting=number(view.waiting)))
        elapsed = (utcnow() - view.started_at).total_seconds()
        if done and elapsed > 0:
            left = timedelta(seconds=round(view.waiting * elapsed / done))
            lines.append(_("Time left: about {left}").format(left=format_left(left, locale)))
    for reason, count in view.failure_reasons:
        lines.append(f"• {escape(reason, quote=False)}: {count}")
    if view.finished:
        return "\n".join(lines), []
    stop = BroadcastCb(action="stop", id=view.broadcast_id).pack()
    return "\n".join(lines), [[Button(_("⏹ Stop sending"), callback_data=stop)]]
