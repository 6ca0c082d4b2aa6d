"""Summaries: what came of an event, published for its participants, and what became of the
proposals sent to it. Publishing tells every registrant and every author of a proposal to the
event through the outbox, in the same transaction; each person is told once per event."""

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import events, outbox
from bot.services.errors import InvalidInput
from bot.text_split import split_text
from db.models import (
    Event,
    EventSummary,
    EventTopic,
    Proposal,
    Region,
    Registration,
    Topic,
    User,
    utcnow,
)

TEXT_MAX = 30_000
# Room under Telegram's 4096 for the title and the page number above each page.
PAGE_CHARS = 3500
LIST_SIZE = 10

# A proposal that reached a later stage has passed the earlier ones too.
ANSWERED = ("answered", "accepted", "partially-accepted", "declined", "implemented")
FORWARDED = ("forwarded", "returned", *ANSWERED)
ACCEPTED = ("accepted", "partially-accepted", "implemented")
NOT_RECEIVED = ("withdrawn", "rejected")


@dataclass
class Outcome:
    """How many of an event's proposals reached each stage, and the person's own."""

    received: int
    forwarded: int
    answered: int
    accepted: int
    implemented: int
    mine: list[Proposal]


def check_text(value: str | None) -> str | None:
    value = (value or "").strip()
    if len(value) > TEXT_MAX:
        raise InvalidInput("text_too_long", length=len(value), maximum=TEXT_MAX)
    return value or None


async def audience(session: AsyncSession, event_id: int) -> list[int]:
    """Registered people of the event and authors of proposals sent to it, each once."""
    registered = select(Registration.user_id).where(
        Registration.event_id == event_id, Registration.status == events.REGISTERED
    )
    authors = select(Proposal.author_id).where(
        Proposal.event_id == event_id, Proposal.status != "withdrawn"
    )
    ids = set(await session.scalars(registered)) | set(await session.scalars(authors))
    return sorted(ids)


async def publish(
    session: AsyncSession,
    event: Event,
    *,
    author: User,
    text_ky: str | None,
    text_ru: str | None,
    file_id: str | None = None,
    file_name: str | None = None,
) -> int:
    """Publishes (or replaces) the event's summary; returns how many people were told now.
    Someone told about an earlier version is not told again."""
    text_ky, text_ru = check_text(text_ky), check_text(text_ru)
    if not (text_ky or text_ru or file_id):
        raise InvalidInput("summary_empty")
    summary = await session.get(EventSummary, event.id)
    if summary is None:
        summary = EventSummary(event_id=event.id)
        session.add(summary)
    summary.text_ky, summary.text_ru = text_ky, text_ru
    summary.file_id, summary.file_name = file_id, file_name
    summary.author_id, summary.published_at = author.id, utcnow()
    await session.flush()
    params = {"event_id": event.id, "title": {"ky": event.title("ky"), "ru": event.title("ru")}}
    told = 0
    for user_id in await audience(session, event.id):
        if await outbox.enqueue(
            session,
            user_id=user_id,
            kind="summary",
            template="summary_published",
            params=params,
            dedupe_key=f"summary:{event.id}:{user_id}",
        ):
            told += 1
    return told


def _filtered(query: Select, region: str = "", topic: str = "") -> Select:  # type: ignore[type-arg]
    if region:
        query = query.where(Event.region_code == region)
    if topic:
        query = query.where(
            Event.id.in_(select(EventTopic.event_id).where(EventTopic.topic_code == topic))
        )
    return query


async def published(
    session: AsyncSession, page: int = 0, *, region: str = "", topic: str = ""
) -> tuple[list[Event], int]:
    """Events with a published summary, newest summary first, optionally of one region or
    topic; and how many there are."""
    base = _filtered(
        select(Event).join(EventSummary, EventSummary.event_id == Event.id), region, topic
    )
    total = await session.scalar(select(func.count()).select_from(base.subquery())) or 0
    query = base.order_by(EventSummary.published_at.desc(), Event.id.desc())
    found = await session.scalars(query.offset(page * LIST_SIZE).limit(LIST_SIZE))
    return list(found), total


async def filter_choices(session: AsyncSession) -> tuple[list[Region], list[Topic]]:
    """The regions and topics that have at least one published summary."""
    with_summary = select(EventSummary.event_id)
    regions = select(Region).where(
        Region.code.in_(select(Event.region_code).where(Event.id.in_(with_summary)))
    )
    topics = select(Topic).where(
        Topic.code.in_(select(EventTopic.topic_code).where(EventTopic.event_id.in_(with_summary)))
    )
    return (
        list(await session.scalars(regions.order_by(Region.sort_order))),
        list(await session.scalars(topics.order_by(Topic.sort_order))),
    )


async def get(session: AsyncSession, event_id: int) -> EventSummary:
    summary = await session.get(EventSummary, event_id)
    if summary is None:
        raise InvalidInput("summary_missing")
    return summary


def pages(summary: EventSummary, locale: str) -> list[str]:
    """The summary's text in pages within Telegram's limits, cut between paragraphs."""
    return split_text(summary.text(locale), PAGE_CHARS)


async def outcome(session: AsyncSession, event_id: int, user: User) -> Outcome:
    rows = (
        await session.execute(
            select(Proposal.status, func.count())
            .where(Proposal.event_id == event_id, Proposal.merged_into_id.is_(None))
            .group_by(Proposal.status)
        )
    ).all()
    # Proposals by status, leaving out those never received.
    received = {status: count for status, count in rows if status not in NOT_RECEIVED}

    def reached(stages: tuple[str, ...]) -> int:
        return sum(count for status, count in received.items() if status in stages)

    mine = select(Proposal).where(Proposal.event_id == event_id, Proposal.author_id == user.id)
    return Outcome(
        received=sum(received.values()),
        forwarded=reached(FORWARDED),
        answered=reached(ANSWERED),
        accepted=reached(ACCEPTED),
        implemented=received.get("implemented", 0),
        mine=list(await session.scalars(mine.order_by(Proposal.id))),
    )
