"""The event form as a conversation keeps it: the steps in order, which may be skipped, the
answers (JSON-safe, dates as ISO strings) and the draft they make, and the check of one typed
answer. For the organizer's form handler, which should call these instead of its own copies."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.services.errors import InvalidInput
from bot.services.events import form
from db.models import utcnow

# The form's steps in order; text steps are typed, the others are buttons.
STEPS = (
    "kind",
    "title_ky",
    "title_ru",
    "description_ky",
    "description_ru",
    "starts_at",
    "ends_at",
    "format",
    "venue",
    "online_url",
    "region",
    "topics",
    "capacity",
    "deadline",
)
SKIPPABLE = {"title_ky", "title_ru", "description_ky", "description_ru", "capacity", "deadline"}
# Where a step's answer goes in the draft when its name is not the draft's.
_DRAFT_NAMES = {
    "kind": "kind_code",
    "region": "region_code",
    "topics": "topic_codes",
    "deadline": "registration_deadline",
}
_MOMENTS = ("starts_at", "ends_at", "deadline")


def answers_of(draft: form.EventDraft) -> dict[str, Any]:
    """The answers that fill the form as `draft` is (for editing an event)."""
    answers = {step: getattr(draft, _DRAFT_NAMES.get(step, step)) for step in STEPS}
    for step in _MOMENTS:
        answers[step] = answers[step].isoformat() if answers[step] else None
    return answers


def draft_from(answers: dict[str, Any]) -> form.EventDraft:
    """The draft the form's answers make (the kind, times and format are required)."""
    values: dict[str, Any] = {_DRAFT_NAMES.get(step, step): answers.get(step) for step in STEPS}
    for step in _MOMENTS:
        name = _DRAFT_NAMES.get(step, step)
        values[name] = datetime.fromisoformat(values[name]) if values[name] else None
    assert values["starts_at"] is not None and values["ends_at"] is not None
    values["topic_codes"] = list(values["topic_codes"] or [])
    return form.EventDraft(**values)


def next_step(step: str, answers: dict[str, Any]) -> str | None:
    """The step after `step`; the venue is not asked of an online event, nor the link of an
    in-person one."""
    for candidate in STEPS[STEPS.index(step) + 1 :]:
        if candidate == "venue" and answers.get("format") == "online":
            continue
        if candidate == "online_url" and answers.get("format") == "in_person":
            continue
        return candidate
    return None


def parse_answer(step: str, text: str, answers: dict[str, Any], tz: ZoneInfo) -> object:
    """Checks one typed answer and returns what the answers keep; raises InvalidInput with
    the reason."""
    if step in ("title_ky", "title_ru"):
        return form.check_text(text, form.TITLE_MAX)
    if step in ("description_ky", "description_ru"):
        return form.check_text(text, form.DESCRIPTION_MAX)
    if step == "venue":
        return form.check_text(text, form.VENUE_MAX)
    if step == "online_url":
        return form.check_url(text)
    if step == "capacity":
        return form.check_capacity(text)
    moment = form.parse_local(text, tz)
    starts = datetime.fromisoformat(answers["starts_at"]) if answers.get("starts_at") else None
    if step == "starts_at":
        form.check_times(moment, None, None, utcnow())
    elif step == "ends_at" and starts is not None:
        form.check_times(starts, moment, None, utcnow() if starts > utcnow() else starts)
    elif step == "deadline" and starts is not None and moment > starts:
        raise InvalidInput("deadline_after_start")
    return moment.isoformat()
