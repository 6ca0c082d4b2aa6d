"""Polls and the post-event survey: the organizer's live results, the results shared with the
audience, and the survey a participant gets after an event (with its reminder)."""

from html import escape
from typing import Any

from aiogram.utils.i18n import gettext as _
from babel.numbers import format_decimal

from bot.keyboards.polls import PollCb, SurveyCb
from bot.notices.registry import Button, Notice, notice
from bot.services import polls
from bot.services.surveys import RATINGS, SurveyResults

BAR_WIDTH = 10


def _bar(count: int, answered: int) -> str:
    filled = round(BAR_WIDTH * count / answered) if answered else 0
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def _percent(count: int, answered: int) -> int:
    return round(100 * count / answered) if answered else 0


def option_lines(options: list[str], counts: list[int], answered: int) -> list[str]:
    lines = []
    for number, (option, count) in enumerate(zip(options, counts, strict=False), start=1):
        lines.append(f"{number}. {escape(option, quote=False)}")
        lines.append(f"   {_bar(count, answered)} {count} ({_percent(count, answered)}%)")
    return lines


def render_results(
    results: polls.Results, delivery: dict[str, int], shared: bool
) -> tuple[str, list[list[Button]]]:
    """The organizer's view of one poll: counts per option, who was reached, and the actions."""
    state = _("open") if results.status == "open" else _("closed")
    head = _("<b>Poll</b> ({state})").format(state=state)
    if results.parts > 1:
        head += " · " + _("part {part} of {parts}").format(part=results.part, parts=results.parts)
    lines = [head, f"<b>{escape(results.question, quote=False)}</b>", ""]
    lines += option_lines(results.options, results.counts, results.answered)
    lines.append("")
    lines.append(
        _("Answered: {answered} of {total}").format(answered=results.answered, total=results.total)
    )
    if results.retracted:
        lines.append(_("Took their answer back: {count}").format(count=results.retracted))
    blocked = delivery.get("dropped", 0)
    waiting = delivery.get("pending", 0) + delivery.get("sending", 0)
    if waiting and results.status == "open":
        lines.append(_("Still being sent: {count}").format(count=waiting))
    if blocked:
        lines.append(_("Not delivered (blocked the bot or closed): {count}").format(count=blocked))
    if delivery.get("failed"):
        lines.append(_("Failed: {failed}").format(failed=delivery["failed"]))
    lines.append(
        _("Anonymous: names are never shown.")
        if results.is_anonymous
        else _("Not anonymous: you can see who chose what.")
    )
    poll_id = results.poll_id
    buttons = [
        [
            Button(_("📊 Chart"), PollCb(action="chart", id=poll_id).pack()),
            Button(_("By region"), PollCb(action="by", id=poll_id, value="region").pack()),
        ],
        [
            Button(_("By country"), PollCb(action="by", id=poll_id, value="country").pack()),
            Button(_("By category"), PollCb(action="by", id=poll_id, value="category").pack()),
            Button(_("By gender"), PollCb(action="by", id=poll_id, value="gender").pack()),
        ],
    ]
    if not results.is_anonymous:
        buttons.append([Button(_("👥 Who answered"), PollCb(action="voters", id=poll_id).pack())])
    if results.status == "open":
        buttons.append([Button(_("⏹ Close the poll"), PollCb(action="close", id=poll_id).pack())])
    elif not shared:
        buttons.append(
            [Button(_("📣 Share the results"), PollCb(action="share", id=poll_id).pack())]
        )
    return "\n".join(lines), buttons


@notice("poll_results")
def poll_results(params: dict[str, Any], locale: str) -> Notice:
    questions: dict[str, str] = params["question"]
    options: dict[str, list[str]] = params["options"]
    question = questions.get(locale) or next(iter(questions.values()))
    shown = options.get(locale) or next(iter(options.values()))
    answered = int(params["answered"])
    lines = [
        _("📊 <b>Poll results</b>"),
        f"<b>{escape(question, quote=False)}</b>",
        "",
        *option_lines(shown, params["counts"], answered),
        "",
        _("Took part in the poll: {count}").format(count=answered),
    ]
    return Notice("\n".join(lines))


def _event_title(params: dict[str, Any], locale: str) -> str:
    titles: dict[str, str] = params["title"]
    return escape(titles.get(locale) or next(iter(titles.values()), ""), quote=False)


@notice("event_survey")
def event_survey(params: dict[str, Any], locale: str) -> Notice:
    title = _event_title(params, locale)
    if params.get("reminder"):
        text = _(
            "A reminder: the event <b>{title}</b> is over, and your opinion helps the "
            "organizers. How would you rate it, from 1 to 5 (5 is the best)?"
        ).format(title=title)
    else:
        text = _(
            "Thank you for taking part! The event: <b>{title}</b>. How would you rate it, "
            "from 1 to 5 (5 is the best)? It takes a few seconds."
        ).format(title=title)
    event_id = int(params["event_id"])
    ratings = [
        Button(str(n), SurveyCb(action="rate", event=event_id, value=n).pack()) for n in RATINGS
    ]
    skip = [Button(_("Skip"), SurveyCb(action="skip", event=event_id).pack())]
    return Notice(text, [ratings, skip])


def rating_text(average: float, locale: str) -> str:
    return format_decimal(round(average, 1), format="0.0", locale=locale)


def distribution_text(results: SurveyResults) -> str:
    return "; ".join(f"{n} — {results.distribution[n]}" for n in reversed(RATINGS))


def survey_text(results: SurveyResults, locale: str, comments_shown: int = 20) -> str:
    """The survey's figures for the organizer's event report; open answers without names."""
    if not results.asked:
        return ""
    lines = [
        _("<b>Survey after the event</b>"),
        _("Asked: {asked}, answered: {answered}").format(
            asked=results.asked, answered=results.answered
        ),
    ]
    if results.average is not None:
        lines.append(
            _("Average rating: {average} of 5").format(average=rating_text(results.average, locale))
        )
        lines.append(_("Ratings: {list}").format(list=distribution_text(results)))
    if results.comments:
        lines.append(_("Open answers:"))
        lines += [f"  • {escape(c, quote=False)}" for c in results.comments[:comments_shown]]
        if len(results.comments) > comments_shown:
            lines.append(_("All open answers are in the outcome document."))
    return "\n".join(lines)
