"""A poll's results: counts, breakdowns by region, country, category and gender (a group of
fewer than SMALL_GROUP people shows no figures), who chose what, delivery counts, and which
live results messages are due for an edit."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ScalarResult, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import InvalidInput
from bot.services.polls.limits import (
    DIMENSIONS,
    LIVE_INTERVAL,
    SMALL_GROUP,
)
from db.models import (
    Country,
    OutboxMessage,
    Poll,
    PollAnswer,
    PollCopy,
    Region,
    StakeholderCategory,
    User,
)


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
