"""Notices of a draft's discussion: a decision on your comment, your clause changed in a new
version, the period ends soon (to the hearing's registrants), the period ended (to its
organizer). Also the names of the decisions, the last day of a period and the labels of the
table of comments, for the screens, the files and the public site."""

from datetime import datetime, timedelta
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _

from bot.i18n import N_, format_day
from bot.keyboards.drafts import DraftCb
from bot.notices.registry import Button, Notice, notice
from bot.services.drafts import ACCEPTED, PARTLY, REJECTED, WORDING, table

DECISION_NAMES = {
    ACCEPTED: N_("Accepted"),
    PARTLY: N_("Partly accepted"),
    REJECTED: N_("Not accepted"),
}


def decision_name(decision: str | None) -> str:
    return _(DECISION_NAMES[decision]) if decision in DECISION_NAMES else _("No decision yet")


def last_day(closes_at: datetime, locale: str, tz: ZoneInfo) -> str:
    """The period ends at midnight after its last day: the day shown is the last one."""
    return format_day(closes_at - timedelta(minutes=1), locale, tz)


def table_labels(title: str) -> table.Labels:
    return table.Labels(
        title=_("Table of comments: {title}").format(title=title),
        headers=(
            _("Clause"),
            _("Text of the clause"),
            _("Comment or proposed wording"),
            _("Reason given"),
            _("Who"),
            _("Decision"),
            _("Reason for the decision"),
        ),
        wording=_("Proposed wording"),
        decision_name=decision_name,
        summary=_("Summary"),
        per_chapter=_("Comments per chapter"),
        per_place=_("Comments per region or country"),
        per_category=_("Comments per category"),
        total=_("Comments in all"),
        share_accepted=_("Accepted, fully or partly"),
    )


def _title(params: dict[str, Any], locale: str) -> str:
    titles: dict[str, str] = params["title"]
    return escape(titles.get(locale) or next(iter(titles.values()), ""), quote=False)


def _open_button(params: dict[str, Any]) -> list[list[Button]]:
    data = DraftCb(action="open", id=params["draft_id"]).pack()
    return [[Button(_("📜 Open the draft"), callback_data=data)]]


@notice("draft_decision")
def draft_decision(params: dict[str, Any], locale: str) -> Notice:
    what = _("Your proposed wording") if params["kind"] == WORDING else _("Your comment")
    lines = [
        _("<b>{title}</b>, clause {number}").format(
            title=_title(params, locale), number=escape(params["number"], quote=False)
        ),
        f"{what}: <i>{escape(params['text'], quote=False)}</i>",
        "",
        _("Decision: <b>{decision}</b>").format(decision=decision_name(params["decision"])),
        _("Reason: {reason}").format(reason=escape(params["reason"], quote=False)),
    ]
    return Notice("\n".join(lines), _open_button(params))


@notice("draft_clause_changed")
def draft_clause_changed(params: dict[str, Any], locale: str) -> Notice:
    lines = [
        _(
            "A new version ({version}) of <b>{title}</b> is published. Clause {number}, "
            "which you commented on, now reads:"
        ).format(
            version=params["version"],
            title=_title(params, locale),
            number=escape(params["number"], quote=False),
        ),
        f"<blockquote>{escape(params['new'], quote=False)}</blockquote>",
        _("It read:"),
        f"<blockquote>{escape(params['old'], quote=False)}</blockquote>",
    ]
    return Notice("\n".join(lines), _open_button(params))


@notice("draft_closing_soon")
def draft_closing_soon(params: dict[str, Any], locale: str) -> Notice:
    closes_at = datetime.fromisoformat(params["closes_at"])
    day = last_day(closes_at, locale, ZoneInfo(params.get("tz", "Asia/Bishkek")))
    text = _(
        "The public discussion of <b>{title}</b> ends soon. Last day for comments: {day}."
    ).format(title=_title(params, locale), day=day)
    if not params.get("commented"):
        text += "\n" + _("Read it clause by clause and say what you think.")
    return Notice(text, _open_button(params))


@notice("draft_closed")
def draft_closed(params: dict[str, Any], locale: str) -> Notice:
    return Notice(
        _(
            "The public discussion of <b>{title}</b> has ended: comments are closed. Decide on "
            "the comments and download the table of comments: /managedrafts"
        ).format(title=_title(params, locale))
    )
