"""The short survey after an event: a rating from 1 to 5 and one open question, both
skippable. The sweep asks the people checked in (the registrants, if nobody was checked in)
once the event has ended, and reminds a day later those who neither answered nor skipped.
Both steps are set-based and idempotent (a row per person, dedupe keys on the outbox)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import InvalidInput
from db.dialect import insert_for
from db.models import (
    Event,
    EventSurvey,
    OutboxMessage,
    Registration,
    SurveyResponse,
    User,
    utcnow,
)

REMIND_AFTER = timedelta(days=1)
# An event that ended longer ago than this when the sweep first sees it gets no survey
# (the feature arriving on an old database must not ask about last year's events).
ASK_WITHIN = timedelta(days=3)
COMMENT_MAX = 2000
RATINGS = (1, 2, 3, 4, 5)


def _params(event: Event, reminder: bool) -> dict[str, Any]:
    titles = {lang: t for lang, t in (("ky", event.title_ky), ("ru", event.title_ru)) if t}
    return {"event_id": event.id, "title": titles, "reminder": reminder}


def _row(user_id: int, params: dict[str, Any], key: str, now: datetime) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "kind": "survey",
        "template": "event_survey",
        "params": params,
        "dedupe_key": key,
        "status": "pending",
        "attempts": 0,
        # Send now: `now` is the sweep's idea of the time, which a test may move ahead.
        "next_attempt_at": min(now, utcnow()),
        "created_at": utcnow(),
    }


def _ended_unasked(now: datetime) -> list[Any]:
    """Events that ended lately and whose participants were not asked yet."""
    return [
        Event.status == "published",
        Event.ends_at <= now,
        Event.ends_at > now - ASK_WITHIN,
        Event.id.not_in(select(EventSurvey.event_id)),
    ]


def _awaiting_reminder(now: datetime) -> list[Any]:
    """Survey questions a day old, neither answered nor skipped nor reminded of."""
    return [
        SurveyResponse.reminded_at.is_(None),
        SurveyResponse.asked_at <= now - REMIND_AFTER,
        SurveyResponse.answered_at.is_(None),
        SurveyResponse.skipped_at.is_(None),
    ]


async def anything_due(session: AsyncSession, now: datetime) -> bool:
    """Whether the survey sweep has anything to do (a read, for an idle scheduler)."""
    ended = select(Event.id).where(*_ended_unasked(now)).limit(1)
    reminder = select(SurveyResponse.event_id).where(*_awaiting_reminder(now)).limit(1)
    return (await session.scalar(ended)) is not None or (await session.scalar(reminder)) is not None


async def queue_due_surveys(session: AsyncSession, now: datetime) -> int:
    """Asks the participants of every event that ended (once per event); returns how many."""
    ended = select(Event).where(*_ended_unasked(now)).order_by(Event.id)
    queued = 0
    for event in list(await session.scalars(ended)):
        seated = select(Registration.user_id).where(
            Registration.event_id == event.id, Registration.status == "registered"
        )
        attended = seated.where(Registration.attended_at.is_not(None))
        people = list(await session.scalars(_reachable(attended)))
        if not people:
            people = list(await session.scalars(_reachable(seated)))
        session.add(EventSurvey(event_id=event.id, sent_at=now, recipients=len(people)))
        if not people:
            continue
        await session.execute(
            insert_for(session)(SurveyResponse).on_conflict_do_nothing(
                index_elements=["event_id", "user_id"]
            ),
            [{"event_id": event.id, "user_id": user_id, "asked_at": now} for user_id in people],
        )
        params = _params(event, reminder=False)
        await session.execute(
            insert(OutboxMessage),
            [_row(u, params, f"survey:{event.id}:{u}", now) for u in people],
        )
        queued += len(people)
    await session.flush()
    return queued


def _reachable(user_ids: Any) -> Any:
    return (
        select(User.id)
        .where(User.id.in_(user_ids), User.is_reachable, User.registered_at.is_not(None))
        .order_by(User.id)
    )


async def queue_due_reminders(session: AsyncSession, now: datetime) -> int:
    """One reminder, a day after the survey, to those who neither answered nor skipped."""
    due = (
        select(SurveyResponse, Event)
        .join(Event, Event.id == SurveyResponse.event_id)
        .where(*_awaiting_reminder(now))
    )
    found = (await session.execute(due)).all()
    if not found:
        return 0
    rows = [
        _row(r.user_id, _params(e, reminder=True), f"survey-reminder:{e.id}:{r.user_id}", now)
        for r, e in found
    ]
    await session.execute(
        insert_for(session)(OutboxMessage).on_conflict_do_nothing(index_elements=["dedupe_key"]),
        rows,
    )
    for response, _event in found:
        response.reminded_at = now
    await session.flush()
    return len(rows)


async def _response(session: AsyncSession, event_id: int, user: User) -> SurveyResponse:
    response = await session.get(SurveyResponse, (event_id, user.id))
    if response is None:
        raise InvalidInput("survey_not_asked")
    return response


async def rate(session: AsyncSession, event_id: int, user: User, rating: int) -> None:
    if rating not in RATINGS:
        raise InvalidInput("survey_rating_invalid")
    response = await _response(session, event_id, user)
    response.rating = rating
    response.answered_at = response.answered_at or utcnow()
    response.skipped_at = None


async def comment(session: AsyncSession, event_id: int, user: User, text: str) -> None:
    text = text.strip()
    if not text:
        raise InvalidInput("survey_comment_empty")
    if len(text) > COMMENT_MAX:
        raise InvalidInput("survey_comment_too_long", length=len(text), limit=COMMENT_MAX)
    response = await _response(session, event_id, user)
    response.comment = text
    response.answered_at = response.answered_at or utcnow()
    response.skipped_at = None


async def skip(session: AsyncSession, event_id: int, user: User) -> None:
    response = await _response(session, event_id, user)
    if response.answered_at is None:
        response.skipped_at = utcnow()


@dataclass
class SurveyResults:
    asked: int = 0
    answered: int = 0
    rated: int = 0
    average: float | None = None
    distribution: dict[int, int] = field(default_factory=lambda: dict.fromkeys(RATINGS, 0))
    comments: list[str] = field(default_factory=list)


async def results(session: AsyncSession, event_id: int) -> SurveyResults:
    """The figures for the report: never who said what (the open answers come without
    names), in the order they were written."""
    found = SurveyResults()
    query = (
        select(SurveyResponse)
        .where(SurveyResponse.event_id == event_id)
        .order_by(SurveyResponse.answered_at, SurveyResponse.user_id)
    )
    for response in await session.scalars(query):
        found.asked += 1
        if response.answered_at is not None:
            found.answered += 1
        if response.rating is not None:
            found.rated += 1
            found.distribution[response.rating] += 1
        if response.comment:
            found.comments.append(response.comment)
    if found.rated:
        total = sum(rating * n for rating, n in found.distribution.items())
        found.average = total / found.rated
    return found


async def surveyed_events(session: AsyncSession, limit: int = 10) -> list[tuple[Event, float, int]]:
    """The latest events with ratings: (event, average rating, people who rated)."""
    query = (
        select(Event, func.avg(SurveyResponse.rating), func.count(SurveyResponse.rating))
        .join(SurveyResponse, SurveyResponse.event_id == Event.id)
        .where(SurveyResponse.rating.is_not(None))
        .group_by(Event.id)
        .order_by(Event.ends_at.desc())
        .limit(limit)
    )
    return [(event, float(avg), int(n)) for event, avg, n in (await session.execute(query)).all()]
