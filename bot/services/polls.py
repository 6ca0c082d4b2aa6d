"""Polls: checked against Telegram's limits, sent to an audience through the outbox as native
polls, answers stored against the person, results broken down by region, country, stakeholder
category and gender (a group of fewer than 5 people is never shown in figures), closing and
sharing. Imports nothing from aiogram; bot/poll_delivery.py does the sending."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ScalarResult, Select, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import broadcasts
from bot.services.broadcasts import Audience
from bot.services.errors import InvalidInput
from bot.services.proposals import PUBLIC_STATUSES
from db.dialect import insert_for
from db.models import (
    Country,
    OutboxMessage,
    Poll,
    PollAnswer,
    PollCopy,
    Proposal,
    Region,
    Registration,
    StakeholderCategory,
    User,
    utcnow,
)

# Telegram's limits for a native poll (../shared/telegram/api.json, sendPoll).
OPTIONS_MAX = 12
OPTIONS_MIN = 2  # Telegram takes 1; a poll of one option asks nothing
QUESTION_MAX = 300
OPTION_MAX = 100
# A breakdown group this small is shown as "fewer than 5", never in figures.
SMALL_GROUP = 5
# The organizer's live results message is edited at most this often.
LIVE_INTERVAL = timedelta(seconds=5)
DIMENSIONS = ("region", "country", "category", "gender")
CLOSED = "closed before it was sent"


def check_question(text: str | None) -> str | None:
    text = (text or "").strip()
    if not text:
        return None
    if len(text) > QUESTION_MAX:
        raise InvalidInput("poll_question_too_long", length=len(text), limit=QUESTION_MAX)
    return text


def parse_options(text: str) -> list[str]:
    """One option a line. An empty line between options, too few or too many options, one
    longer than Telegram allows, or the same option twice: refused with the reason."""
    lines = [line.strip() for line in text.strip().splitlines()]
    for number, line in enumerate(lines, start=1):
        if not line:
            raise InvalidInput("poll_option_empty", number=number)
        if len(line) > OPTION_MAX:
            raise InvalidInput(
                "poll_option_too_long", number=number, length=len(line), limit=OPTION_MAX
            )
    if len(lines) > OPTIONS_MAX:
        raise InvalidInput("poll_too_many_options", count=len(lines), limit=OPTIONS_MAX)
    if len(lines) < OPTIONS_MIN:
        raise InvalidInput("poll_too_few_options", minimum=OPTIONS_MIN)
    if len({line.casefold() for line in lines}) != len(lines):
        raise InvalidInput("poll_option_duplicate")
    return lines


def combine_options(ky: list[str] | None, ru: list[str] | None) -> list[dict[str, Any]]:
    if not ky and not ru:
        raise InvalidInput("poll_options_missing")
    if ky and ru and len(ky) != len(ru):
        raise InvalidInput("poll_options_mismatch", ky=len(ky), ru=len(ru))
    count = len(ky or ru or [])
    return [
        {key: value[i] for key, value in (("ky", ky), ("ru", ru)) if value} for i in range(count)
    ]


def audience_query(audience: Audience) -> Select[int]:
    """An announcement audience, or those checked in at an event (the people in the hall)."""
    if audience.kind == "checked_in":
        in_hall = select(Registration.user_id).where(
            Registration.event_id == int(audience.value or 0),
            Registration.status == "registered",
            Registration.attended_at.is_not(None),
        )
        return select(User.id).where(
            User.registered_at.is_not(None), User.is_reachable, User.id.in_(in_hall)
        )
    return broadcasts.audience_query(audience)


async def count_audience(session: AsyncSession, audience: Audience) -> int:
    subquery = audience_query(audience).subquery()
    return await session.scalar(select(func.count()).select_from(subquery)) or 0


async def start(
    session: AsyncSession,
    *,
    author: User,
    question_ky: str | None,
    question_ru: str | None,
    options: list[dict[str, Any]],
    allows_multiple: bool,
    is_anonymous: bool,
    audience: Audience,
    kind: str = "question",
    part: int = 1,
    parts: int = 1,
    notes: dict[str, str] | None = None,
) -> Poll:
    """Creates the poll and one outbox row per recipient, in the caller's transaction."""
    question_ky, question_ru = check_question(question_ky), check_question(question_ru)
    if not question_ky and not question_ru:
        raise InvalidInput("poll_question_empty")
    if not OPTIONS_MIN <= len(options) <= OPTIONS_MAX:
        raise InvalidInput("poll_too_many_options", count=len(options), limit=OPTIONS_MAX)
    recipients = list(await session.scalars(audience_query(audience).order_by(User.id)))
    if not recipients:
        raise InvalidInput("audience_empty")
    # An event audience with recipients names its event.
    event_id = int(cast(str, audience.value)) if audience.kind in ("event", "checked_in") else None
    poll = Poll(
        author_id=author.id,
        event_id=event_id,
        question_ky=question_ky,
        question_ru=question_ru,
        options=options,
        allows_multiple=allows_multiple,
        is_anonymous=is_anonymous,
        kind=kind,
        part=part,
        parts=parts,
        audience=audience.as_dict(),
        total=len(recipients),
        status="open",
        results_chat_id=author.telegram_id,
    )
    session.add(poll)
    await session.flush()
    now = utcnow()
    rows = [
        {
            "user_id": user_id,
            "kind": "poll",
            "template": "poll",
            "params": {"poll_id": poll.id, "user_id": user_id, "note": notes or {}},
            "dedupe_key": f"poll:{poll.id}:{user_id}",
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for user_id in recipients
    ]
    await session.execute(insert(OutboxMessage), rows)
    return poll


async def rank_options(session: AsyncSession, event_id: int) -> list[dict[str, Any]]:
    """An event's published proposals as poll options (one text for both languages)."""
    query = (
        select(Proposal)
        .where(
            Proposal.event_id == event_id,
            Proposal.status.in_(PUBLIC_STATUSES),
            Proposal.merged_into_id.is_(None),
        )
        .order_by(Proposal.support_count.desc(), Proposal.id)
    )
    options = []
    for proposal in await session.scalars(query):
        label = f"№{proposal.id}: {' '.join(proposal.text.split())}"
        if len(label) > OPTION_MAX:
            label = label[: OPTION_MAX - 1].rstrip() + "…"
        options.append({"ky": label, "ru": label, "proposal_id": proposal.id})
    return options


def pages(options: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Options in as few polls as Telegram allows, evenly filled (25 → 9, 8, 8)."""
    if not options:
        return []
    count = -(-len(options) // OPTIONS_MAX)
    size, extra = divmod(len(options), count)
    result, start_at = [], 0
    for i in range(count):
        end = start_at + size + (1 if i < extra else 0)
        result.append(options[start_at:end])
        start_at = end
    return result


async def attach_results_message(
    session: AsyncSession, poll_ids: list[int], chat_id: int, message_id: int
) -> None:
    await session.execute(
        update(Poll)
        .where(Poll.id.in_(poll_ids))
        .values(results_chat_id=chat_id, results_message_id=message_id, results_text=None)
    )


# --- answers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answered:
    outcome: str  # "stored", "retracted", "closed", "unknown"
    poll: Poll | None = None


async def record_answer(
    session: AsyncSession, telegram_poll_id: str, user: User, option_ids: list[int]
) -> Answered:
    """Stores the person's answer (or its retraction) against our poll. An answer to a closed
    poll is not counted; the caller tells the person."""
    poll = await session.scalar(
        select(Poll)
        .join(PollCopy, PollCopy.poll_id == Poll.id)
        .where(PollCopy.telegram_poll_id == telegram_poll_id, PollCopy.user_id == user.id)
    )
    if poll is None:
        return Answered("unknown")
    if poll.status != "open":
        return Answered("closed", poll)
    chosen = sorted({i for i in option_ids if 0 <= i < len(poll.options)})
    if not poll.allows_multiple:
        chosen = chosen[:1]
    now = utcnow()
    values = {
        "poll_id": poll.id,
        "user_id": user.id,
        "option_ids": chosen,
        "answered_at": now,
        "retracted_at": None if chosen else now,
    }
    statement = insert_for(session)(PollAnswer).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["poll_id", "user_id"],
        set_={k: v for k, v in values.items() if k not in ("poll_id", "user_id")},
    )
    await session.execute(statement)
    return Answered("stored" if chosen else "retracted", poll)


# --- results -------------------------------------------------------------------------------


@dataclass
class Group:
    name: str
    people: int
    counts: list[int]  # per option; empty when the group is too small to show

    @property
    def hidden(self) -> bool:
        return self.people < SMALL_GROUP


@dataclass
class Results:
    poll_id: int
    question: str
    options: list[str]
    counts: list[int]
    answered: int  # people with an answer standing now
    retracted: int
    reached: int  # copies delivered
    total: int  # recipients
    status: str
    is_anonymous: bool
    allows_multiple: bool
    part: int = 1
    parts: int = 1
    groups: list[Group] = field(default_factory=list)


async def results(session: AsyncSession, poll: Poll, locale: str) -> Results:
    counts = [0] * len(poll.options)
    answered = retracted = 0
    query = select(PollAnswer.option_ids).where(PollAnswer.poll_id == poll.id)
    for (chosen,) in (await session.execute(query)).all():
        if not chosen:
            retracted += 1
            continue
        answered += 1
        for i in chosen:
            if 0 <= i < len(counts):
                counts[i] += 1
    reached = await session.scalar(
        select(func.count()).select_from(PollCopy).where(PollCopy.poll_id == poll.id)
    )
    return Results(
        poll_id=poll.id,
        question=poll.question(locale),
        options=poll.option_texts(locale),
        counts=counts,
        answered=answered,
        retracted=retracted,
        reached=reached or 0,
        total=poll.total,
        status=poll.status,
        is_anonymous=poll.is_anonymous,
        allows_multiple=poll.allows_multiple,
        part=poll.part,
        parts=poll.parts,
    )


async def breakdown(
    session: AsyncSession, poll: Poll, dimension: str, locale: str, not_given: str
) -> list[Group]:
    """Who answered what, by region, country (of those abroad), category or gender. A group
    of fewer than SMALL_GROUP people keeps its name but shows no figures."""
    if dimension not in DIMENSIONS:
        raise InvalidInput("unknown_dimension")
    query = (
        select(PollAnswer.option_ids, User)
        .join(User, User.id == PollAnswer.user_id)
        .where(PollAnswer.poll_id == poll.id)
    )
    names: dict[str, str] = {}
    model = {"region": Region, "country": Country, "category": StakeholderCategory}.get(dimension)
    if model is not None:
        rows: ScalarResult[Region | Country | StakeholderCategory]
        rows = await session.scalars(select(model))
        names = {row.code: row.name(locale) for row in rows}
    people: dict[str, int] = {}
    counts: dict[str, list[int]] = {}
    for chosen, person in (await session.execute(query)).all():
        if not chosen:
            continue
        if dimension == "region":
            key = names.get(person.region_code or "", not_given)
        elif dimension == "category":
            key = names.get(person.category_code or "", not_given)
        elif dimension == "country":
            if not person.lives_abroad:
                continue
            key = names.get(person.country_code or "", person.country_other or not_given)
        else:
            key = person.gender or ""
        people[key] = people.get(key, 0) + 1
        row = counts.setdefault(key, [0] * len(poll.options))
        for i in chosen:
            if 0 <= i < len(row):
                row[i] += 1
    groups = [
        Group(key, n, [] if n < SMALL_GROUP else counts[key])
        for key, n in sorted(people.items(), key=lambda item: (-item[1], item[0]))
    ]
    return groups


async def voters(session: AsyncSession, poll: Poll) -> list[tuple[str, list[int]]]:
    """Who chose what, for a poll that is not anonymous (never for an anonymous one)."""
    if poll.is_anonymous:
        raise InvalidInput("poll_is_anonymous")
    query = (
        select(User.full_name, PollAnswer.option_ids)
        .join(User, User.id == PollAnswer.user_id)
        .where(PollAnswer.poll_id == poll.id)
        .order_by(User.full_name, User.id)
    )
    return [
        (name or "—", chosen) for name, chosen in (await session.execute(query)).all() if chosen
    ]


# --- the organizer's polls, closing, sharing -------------------------------------------------


async def recent(session: AsyncSession, limit: int = 10) -> list[Poll]:
    query = select(Poll).order_by(Poll.id.desc()).limit(limit)
    return list(await session.scalars(query))


async def close(session: AsyncSession, poll: Poll) -> int:
    """No more answers are counted; every copy sent is stopped (stopPoll through the outbox)
    and copies not sent yet are held back. Returns how many copies are to be stopped."""
    if poll.status != "open":
        return 0
    poll.status, poll.closed_at = "closed", utcnow()
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.template == "poll",
            OutboxMessage.dedupe_key.like(f"poll:{poll.id}:%"),
            OutboxMessage.status == "pending",
        )
        .values(status="dropped", error=CLOSED)
    )
    copies = list(
        await session.scalars(
            select(PollCopy).where(PollCopy.poll_id == poll.id, PollCopy.stopped_at.is_(None))
        )
    )
    await enqueue_stops(session, copies)
    return len(copies)


async def enqueue_stops(session: AsyncSession, copies: list[PollCopy]) -> None:
    if not copies:
        return
    now = utcnow()
    statement = insert_for(session)(OutboxMessage).on_conflict_do_nothing(
        index_elements=["dedupe_key"]
    )
    await session.execute(
        statement,
        [
            {
                "user_id": copy.user_id,
                "kind": "poll",
                "template": "poll_stop",
                "params": {"poll_id": copy.poll_id, "telegram_poll_id": copy.telegram_poll_id},
                "dedupe_key": f"poll-stop:{copy.telegram_poll_id}",
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for copy in copies
        ],
    )


async def share(session: AsyncSession, poll: Poll, locale_results: dict[str, Results]) -> int:
    """Sends the results to everyone who got the poll (once). Returns how many."""
    if poll.shared_at is not None:
        return 0
    poll.shared_at = utcnow()
    recipients = list(
        await session.scalars(select(PollCopy.user_id).where(PollCopy.poll_id == poll.id))
    )
    if not recipients:
        return 0
    params = {
        "question": {lang: r.question for lang, r in locale_results.items()},
        "options": {lang: r.options for lang, r in locale_results.items()},
        "counts": next(iter(locale_results.values())).counts,
        "answered": next(iter(locale_results.values())).answered,
    }
    now = utcnow()
    statement = insert_for(session)(OutboxMessage).on_conflict_do_nothing(
        index_elements=["dedupe_key"]
    )
    await session.execute(
        statement,
        [
            {
                "user_id": user_id,
                "kind": "poll_results",
                "template": "poll_results",
                "params": params,
                "dedupe_key": f"poll-share:{poll.id}:{user_id}",
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for user_id in recipients
        ],
    )
    return len(recipients)


async def delivery_counts(session: AsyncSession, poll_id: int) -> dict[str, int]:
    """The poll's outbox rows by status (sent, dropped for a blocked person, failed...)."""
    query = (
        select(OutboxMessage.status, func.count())
        .where(OutboxMessage.template == "poll", OutboxMessage.dedupe_key.like(f"poll:{poll_id}:%"))
        .group_by(OutboxMessage.status)
    )
    return {status: n for status, n in (await session.execute(query)).all()}


# --- the live results message ---------------------------------------------------------------


async def live_due(session: AsyncSession, now: datetime) -> list[tuple[Poll, str]]:
    """Polls whose results message may be refreshed now: open ones not refreshed within
    LIVE_INTERVAL, and closed ones whose final figures are not shown yet. One per chat, so an
    organizer's chat never gets more than one edit a round. With the author's language."""
    query = (
        select(Poll, User.language)
        .outerjoin(User, User.id == Poll.author_id)
        .where(
            Poll.results_message_id.is_not(None),
            or_(
                Poll.status == "open",
                Poll.results_shown_at.is_(None),
                Poll.results_shown_at < Poll.closed_at,
            ),
            or_(Poll.results_shown_at.is_(None), Poll.results_shown_at <= now - LIVE_INTERVAL),
        )
        .order_by(Poll.results_shown_at.is_not(None), Poll.results_shown_at, Poll.id)
    )
    due: list[tuple[Poll, str]] = []
    chats: set[int] = set()
    for poll, language in (await session.execute(query)).all():
        if poll.results_chat_id in chats:
            continue
        chats.add(poll.results_chat_id or 0)
        due.append((poll, language or "ky"))
    return due


async def live_shown(session: AsyncSession, poll_id: int, text: str, now: datetime) -> None:
    await session.execute(
        update(Poll).where(Poll.id == poll_id).values(results_text=text, results_shown_at=now)
    )
