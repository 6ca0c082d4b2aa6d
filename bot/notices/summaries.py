"""What registrants and authors are told when an event's summary is published."""

from html import escape
from typing import Any

from aiogram.utils.i18n import gettext as _

from bot.notices.registry import Notice, notice


@notice("summary_published")
def summary_published(params: dict[str, Any], locale: str) -> Notice:
    titles: dict[str, str] = params["title"]
    title = titles.get(locale) or next(v for v in titles.values() if v)
    return Notice(
        _(
            "The summary of «{title}» is published: what was discussed and what became of "
            "the proposals. Read it: /summaries"
        ).format(title=escape(title, quote=False))
    )
