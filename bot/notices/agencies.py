"""Notices of the agency follow-up: a new item for representatives, reminders, escalations to
organizers, an item returned, an extension and an answer for authors and supporters, the
weekly digest. Agency names come in both languages in params."""

from datetime import UTC, date, datetime, time
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.i18n import format_day, format_number
from bot.keyboards.agencies import AgencyWorkCb, SatisfactionCb
from bot.notices.registry import Button, Notice, notice
from bot.text_split import shorten

DEFAULT_TZ = "Asia/Bishkek"


def _agency(params: dict[str, Any], locale: str) -> str:
    name = params["agency_ky"] if locale == "ky" else params["agency_ru"]
    return escape(name, quote=False)


def _quote(text: str, limit: int = 600) -> str:
    return f"<blockquote>{escape(shorten(text, limit), quote=False)}</blockquote>"


def due_line(due_at: datetime, now: datetime, locale: str, tz: ZoneInfo) -> str:
    """For any card of a forwarded proposal: its due date, and how late it is when it is."""
    from bot.services.agencies import overdue_days  # the rule lives in the service

    return _due_text(due_at, overdue_days(due_at, now, tz), locale, tz)


def _due_text(due_at: datetime, late: int, locale: str, tz: ZoneInfo) -> str:
    line = _("⏳ Answer due: {day}").format(day=format_day(due_at, locale, tz))
    if late:
        line += " · " + ngettext("overdue by {n} day", "overdue by {n} days", late).format(n=late)
    return line


def _due(params: dict[str, Any], locale: str) -> str:
    """Lateness as of when the notice was queued (late_days), else as of now."""
    tz = ZoneInfo(params.get("tz") or DEFAULT_TZ)
    due_at = datetime.fromisoformat(params["due_at"])
    if "late_days" in params:
        return _due_text(due_at, params["late_days"], locale, tz)
    return due_line(due_at, datetime.now(UTC), locale, tz)


def item_buttons(forwarding_id: int) -> list[list[Button]]:
    """What a representative can do with an item, under its notice and its reminders."""
    return [
        [Button(_("✍️ Answer"), AgencyWorkCb(action="answer", id=forwarding_id).pack())],
        [
            Button(
                _("↩️ Not our competence"),
                AgencyWorkCb(action="return", id=forwarding_id).pack(),
            )
        ],
        [Button(_("⏳ Ask for more days"), AgencyWorkCb(action="extend", id=forwarding_id).pack())],
    ]


@notice("agency_item")
def agency_item(params: dict[str, Any], locale: str) -> Notice:
    return Notice(
        _("📨 A proposal was forwarded to {agency} (No. {id}):").format(
            agency=_agency(params, locale), id=params["proposal_id"]
        )
        + "\n"
        + _quote(params["text"])
        + "\n"
        + _due(params, locale),
        item_buttons(params["forwarding_id"]),
    )


@notice("agency_representative_removed")
def agency_representative_removed(params: dict[str, Any], locale: str) -> Notice:
    return Notice(
        _(
            "The organizers removed you from the representatives of {agency}: its proposals "
            "no longer come to you."
        ).format(agency=_agency(params, locale))
    )


@notice("agency_reminder")
def agency_reminder(params: dict[str, Any], locale: str) -> Notice:
    return Notice(
        _("🔔 Reminder: proposal No. {id} is waiting for your answer.").format(
            id=params["proposal_id"]
        )
        + "\n"
        + _due(params, locale),
        item_buttons(params["forwarding_id"]),
    )


@notice("agency_escalation")
def agency_escalation(params: dict[str, Any], locale: str) -> Notice:
    return Notice(
        _("⚠️ {agency} has not answered proposal No. {id}.").format(
            agency=_agency(params, locale), id=params["proposal_id"]
        )
        + "\n"
        + _due(params, locale)
    )


def _listed(params: dict[str, Any]) -> str:
    """A grouped notice's proposals as /pN (a tap opens one), and how many it leaves out."""
    ids: list[int] = params["proposal_ids"]
    line = ", ".join(f"/p{proposal_id}" for proposal_id in ids)
    more = params["count"] - len(ids)
    if more > 0:
        line += " " + ngettext("and {n} more", "and {n} more", more).format(n=more)
    return line


@notice("agency_reminders")
def agency_reminders(params: dict[str, Any], locale: str) -> Notice:
    """Several items of one agency whose reminder came in the same sweep."""
    count, late = params["count"], params["late"]
    head = ngettext(
        "🔔 {agency}: {n} proposal is waiting for your answer.",
        "🔔 {agency}: {n} proposals are waiting for your answer.",
        count,
    ).format(agency=_agency(params, locale), n=count)
    if late:
        head += " " + ngettext("{n} of them is overdue.", "{n} of them are overdue.", late).format(
            n=late
        )
    return Notice(
        head
        + "\n"
        + _listed(params)
        + "\n"
        + _("Send /items to answer them, the most overdue first.")
    )


@notice("agency_escalations")
def agency_escalations(params: dict[str, Any], locale: str) -> Notice:
    """Several items of one agency left unanswered past their escalation in the same sweep."""
    count = params["count"]
    return Notice(
        ngettext(
            "⚠️ {agency} has not answered {n} proposal in time:",
            "⚠️ {agency} has not answered {n} proposals in time:",
            count,
        ).format(agency=_agency(params, locale), n=count)
        + "\n"
        + _listed(params)
        + "\n"
        + _("Every agency's figures: /agencies")
    )


@notice("agency_returned")
def agency_returned(params: dict[str, Any], locale: str) -> Notice:
    return Notice(
        _("↩️ {agency} returned proposal No. {id}: not its competence. Reason:").format(
            agency=_agency(params, locale), id=params["proposal_id"]
        )
        + "\n"
        + _quote(params["reason"])
    )


@notice("agency_extension")
def agency_extension(params: dict[str, Any], locale: str) -> Notice:
    return Notice(
        _("⏳ {agency} asked for more time to answer your proposal No. {id}. Reason:").format(
            agency=_agency(params, locale), id=params["proposal_id"]
        )
        + "\n"
        + _quote(params["reason"])
        + "\n"
        + _due(params, locale)
    )


@notice("agency_extension_organizer")
def agency_extension_organizer(params: dict[str, Any], locale: str) -> Notice:
    return Notice(
        _("⏳ The due date of proposal No. {id} was moved by the agency. Agency: {agency}.").format(
            agency=_agency(params, locale), id=params["proposal_id"]
        )
        + "\n"
        + _("Reason:")
        + "\n"
        + _quote(params["reason"])
        + "\n"
        + _due(params, locale)
    )


OUTCOME_NAMES = {
    "accepted": lambda: _("accepted"),
    "partially-accepted": lambda: _("partially accepted"),
    "declined": lambda: _("declined"),
    "implemented": lambda: _("implemented"),
    "in-progress": lambda: _("in progress"),
}


@notice("agency_answer")
def agency_answer(params: dict[str, Any], locale: str) -> Notice:
    head = (
        _("📬 {agency} answered your proposal No. {id}. Outcome: {outcome}.")
        if params.get("is_author")
        else _("📬 {agency} answered proposal No. {id} that you supported. Outcome: {outcome}.")
    )
    text = head.format(
        agency=_agency(params, locale),
        id=params["proposal_id"],
        outcome=OUTCOME_NAMES[params["outcome"]](),
    )
    text += "\n" + _quote(params["answer"], 3000)
    if params.get("next_update_on"):
        text += "\n" + next_update_line(date.fromisoformat(params["next_update_on"]), locale)
    return Notice(text)


def next_update_line(day: date, locale: str) -> str:
    """When an agency whose answer is "in progress" promised to tell more."""
    noon = datetime.combine(day, time(12), UTC)  # a calendar day: no time zone shifts it
    return _("Next update by {day}.").format(day=format_day(noon, locale, ZoneInfo("UTC")))


@notice("agency_digest")
def agency_digest(params: dict[str, Any], locale: str) -> Notice:
    median = params.get("median_days")
    return Notice(
        _(
            "📊 {agency} this week: open {open}, answered {answered}, overdue {overdue}, "
            "median days to answer {median}."
        ).format(
            agency=_agency(params, locale),
            open=params["open"],
            answered=params["answered"],
            overdue=params["overdue"],
            median="—" if median is None else format_number(median, locale),
        )
    )


@notice("agency_satisfaction")
def agency_satisfaction(params: dict[str, Any], locale: str) -> Notice:
    answer_id = params["answer_id"]
    if "answer" in params:
        shown = _("Agency: {agency}").format(agency=_agency(params, locale)) + "\n"
        shown += _("Its answer:") + "\n" + _quote(params["answer"], 600)
    else:  # queued before the answer was carried along
        shown = _quote(params["text"], 300)
    return Notice(
        _("A week ago an agency answered your proposal No. {id}:").format(id=params["proposal_id"])
        + "\n"
        + shown
        + "\n"
        + _("Did this answer your proposal?"),
        buttons=[
            [
                Button(_("👍 Yes"), SatisfactionCb(answer_id=answer_id, satisfied=True).pack()),
                Button(_("👎 No"), SatisfactionCb(answer_id=answer_id, satisfied=False).pack()),
            ]
        ],
    )
