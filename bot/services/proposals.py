"""Proposals: submitting, similar ones, search in Kyrgyz and Russian, browsing, support,
moderation. Status changes go through proposal_status.change_status (history + notice)."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, column, delete, func, select, table, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import outbox
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.proposal_status import change_status
from db.dialect import is_postgres
from db.models import (
    Proposal,
    ProposalStatusChange,
    ProposalSupport,
    Region,
    Topic,
    User,
    utcnow,
)

TEXT_MIN, TEXT_MAX = 20, 4000
PAGE_SIZE = 5
SEARCH_COUNT_CAP = 1000
# The FTS5 table the migration creates on SQLite (not a model: it has no columns of ours).
FTS_TABLE = table("proposals_fts", column("rowid"))
# What the public sees: everything moderated in, except what was withdrawn or merged away.
PUBLIC_STATUSES = (
    "published",
    "forwarded",
    "returned",
    "answered",
    "accepted",
    "partially-accepted",
    "declined",
    "implemented",
)
WITHDRAWABLE = ("submitted", "published")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class ProposalDraft:
    topic_code: str
    region_code: str
    text: str
    is_anonymous: bool = False
    event_id: int | None = None
    attachment_kind: str | None = None
    attachment_file_id: str | None = None


def check_text(value: str) -> str:
    cleaned = value.strip()
    if len(cleaned) < TEXT_MIN:
        raise InvalidInput("proposal_too_short", length=len(cleaned), minimum=TEXT_MIN)
    if len(cleaned) > TEXT_MAX:
        raise InvalidInput("proposal_too_long", length=len(cleaned), maximum=TEXT_MAX)
    return cleaned


async def check_tags(session: AsyncSession, topic_code: str, region_code: str) -> None:
    if await session.get(Topic, topic_code) is None:
        raise InvalidInput("unknown_topic")
    if await session.get(Region, region_code) is None:
        raise InvalidInput("unknown_region")


async def submitted_today(session: AsyncSession, author: User, now: datetime) -> int:
    query = select(func.count()).where(
        Proposal.author_id == author.id, Proposal.created_at >= now - timedelta(days=1)
    )
    return await session.scalar(query) or 0


async def limit_reached(session: AsyncSession, author: User, *, daily_limit: int) -> bool:
    """Whether the person has sent as many proposals in the last 24 hours as allowed."""
    return await submitted_today(session, author, utcnow()) >= daily_limit


async def submit(
    session: AsyncSession, author: User, draft: ProposalDraft, *, daily_limit: int
) -> Proposal:
    if not author.is_registered:
        raise InvalidInput("registration_required")
    now = utcnow()
    if await submitted_today(session, author, now) >= daily_limit:
        raise InvalidInput("daily_limit", limit=daily_limit)
    await check_tags(session, draft.topic_code, draft.region_code)
    proposal = Proposal(
        author_id=author.id,
        event_id=draft.event_id,
        topic_code=draft.topic_code,
        region_code=draft.region_code,
        text=check_text(draft.text),
        is_anonymous=draft.is_anonymous,
        attachment_kind=draft.attachment_kind,
        attachment_file_id=draft.attachment_file_id,
        status="submitted",
        created_at=now,
    )
    session.add(proposal)
    await session.flush()
    session.add(
        ProposalStatusChange(proposal_id=proposal.id, status="submitted", actor_id=author.id)
    )
    await session.flush()
    return proposal


# --- search --------------------------------------------------------------------------------


def fold(word: str) -> str:
    """What the search index holds for a word: lower case, ё as е (ң, ө, ү stay)."""
    return word.lower().replace("ё", "е")


def search_words(query: str, limit: int | None = 8) -> list[str]:
    """The words of a query, lower-cased, ё as е (as the index holds them, migration
    0010_journey_fixes); punctuation and quotes can never reach the engine."""
    return [fold(word) for word in _WORD.findall(query)][:limit]


def _matching_ids(session: AsyncSession, words: list[str], *, any_word: bool = False) -> Select:  # type: ignore[type-arg]
    """Ids of proposals whose text has every word (or any, for similarity) as a prefix:
    Kyrgyz adds suffixes (шаар, шаары, шаарында), which neither engine stems."""
    if is_postgres(session):
        joiner = " | " if any_word else " & "
        tsquery = joiner.join(f"{word}:*" for word in words)
        return (
            select(Proposal.id)
            .where(
                text(
                    "to_tsvector('simple', translate(proposals.text, 'ёЁ', 'еЕ')) "
                    "@@ to_tsquery('simple', :tsquery)"
                )
            )
            .params(tsquery=tsquery)
        )
    joiner = " OR " if any_word else " AND "
    match = joiner.join(f'"{word}"*' for word in words)
    return (
        select(text("rowid"))
        .select_from(text("proposals_fts"))
        .where(text("proposals_fts MATCH :match"))
        .params(match=match)
    )


async def search(
    session: AsyncSession, query: str, page: int = 0, *, before_id: int | None = None
) -> tuple[list[Proposal], int]:
    """Newest first; the next page starts below the last id seen (`before_id`). The total
    stops counting at SEARCH_COUNT_CAP: a common word matches
    most proposals, and counting them all costs more than the page itself."""
    words = search_words(query)
    if not words:
        return [], 0
    if is_postgres(session):
        ids = _matching_ids(session, words).scalar_subquery()
        matches = _public().where(Proposal.id.in_(ids))
        ordered = matches.order_by(Proposal.id.desc())
    else:
        # Walking the FTS index newest first and joining stops after one page; filtering
        # proposals by an IN (all matches) list would read every match of a common word.
        match = " AND ".join(f'"{word}"*' for word in words)
        matches = (
            _public()
            .join(FTS_TABLE, FTS_TABLE.c.rowid == Proposal.id)
            .where(text("proposals_fts MATCH :match"))
            .params(match=match)
        )
        ordered = matches.order_by(FTS_TABLE.c.rowid.desc())
    capped = matches.with_only_columns(Proposal.id).limit(SEARCH_COUNT_CAP).subquery()
    total = await session.scalar(select(func.count()).select_from(capped)) or 0
    if before_id is not None:
        ordered = ordered.where(Proposal.id < before_id)
    else:
        ordered = ordered.offset(page * PAGE_SIZE)
    rows = await session.scalars(ordered.limit(PAGE_SIZE))
    return list(rows), total


async def similar(
    session: AsyncSession, topic_code: str, proposal_text: str, limit: int = 3
) -> list[Proposal]:
    """Published proposals on the same topic sharing the most telling words (the longest)."""
    words = sorted(set(search_words(proposal_text, limit=None)), key=len, reverse=True)
    words = [w for w in words if len(w) >= 5][:6]
    if not words:
        return []
    ids = _matching_ids(session, words, any_word=True).scalar_subquery()
    query = (
        _public()
        .where(Proposal.topic_code == topic_code, Proposal.id.in_(ids))
        .order_by(Proposal.support_count.desc(), Proposal.id.desc())
        .limit(50)
    )
    candidates = list(await session.scalars(query))
    wanted = set(words)

    def overlap(p: Proposal) -> int:
        found = set(search_words(p.text, limit=None))
        return sum(1 for w in wanted if any(f.startswith(w) for f in found))

    ranked = sorted(candidates, key=lambda p: (-overlap(p), -p.support_count))
    return [p for p in ranked if overlap(p) >= min(2, len(wanted))][:limit]


# --- reading -------------------------------------------------------------------------------


def _public() -> Select:  # type: ignore[type-arg]
    return select(Proposal).where(
        Proposal.status.in_(PUBLIC_STATUSES), Proposal.merged_into_id.is_(None)
    )


async def _page(session: AsyncSession, query: Select, page: int) -> tuple[list[Proposal], int]:  # type: ignore[type-arg]
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = await session.scalars(query.offset(page * PAGE_SIZE).limit(PAGE_SIZE))
    return list(rows), total or 0


async def browse(
    session: AsyncSession,
    *,
    region: str | None = None,
    topic: str | None = None,
    event_id: int | None = None,
    status: str | None = None,
    sort: str = "new",
    page: int = 0,
) -> tuple[list[Proposal], int]:
    """A page of public proposals and their number, at most SEARCH_COUNT_CAP."""
    query = _public()
    if region:
        query = query.where(Proposal.region_code == region)
    if topic:
        query = query.where(Proposal.topic_code == topic)
    if event_id:
        query = query.where(Proposal.event_id == event_id)
    if status:
        query = query.where(Proposal.status == status)
    if sort == "support":
        query = query.order_by(Proposal.support_count.desc(), Proposal.id.desc())
    else:
        query = query.order_by(Proposal.created_at.desc(), Proposal.id.desc())
    # The total stops at SEARCH_COUNT_CAP, as search's does: counting every public proposal
    # took hundreds of ms at 1,000,000, while the capped count walks the same index as the
    # page (0012_perf_indexes) and stops.
    capped = query.with_only_columns(Proposal.id).limit(SEARCH_COUNT_CAP).subquery()
    total = await session.scalar(select(func.count()).select_from(capped)) or 0
    rows = await session.scalars(query.offset(page * PAGE_SIZE).limit(PAGE_SIZE))
    return list(rows), total


async def mine(
    session: AsyncSession, author: User, page: int = 0, *, before_id: int | None = None
) -> tuple[list[Proposal], int]:
    """Newest first; the next page starts below the last id seen (`before_id`)."""
    query = select(Proposal).where(Proposal.author_id == author.id).order_by(Proposal.id.desc())
    if before_id is None:
        return await _page(session, query, page)
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = await session.scalars(query.where(Proposal.id < before_id).limit(PAGE_SIZE))
    return list(rows), total or 0


async def history(session: AsyncSession, proposal: Proposal) -> list[ProposalStatusChange]:
    query = (
        select(ProposalStatusChange)
        .where(ProposalStatusChange.proposal_id == proposal.id)
        .order_by(ProposalStatusChange.id)
    )
    return list(await session.scalars(query))


def visible_to(proposal: Proposal, user: User, *, organizer: bool) -> bool:
    if proposal.author_id == user.id or organizer:
        return True
    return proposal.status in PUBLIC_STATUSES and proposal.merged_into_id is None


# --- support -------------------------------------------------------------------------------


async def support(session: AsyncSession, proposal: Proposal, user: User) -> bool:
    """Adds the person's support; pressing again (a double tap, an older copy of the card)
    changes nothing. Returns whether this call added it."""
    if proposal.status not in PUBLIC_STATUSES or proposal.merged_into_id is not None:
        raise InvalidInput("not_supportable")
    if proposal.author_id == user.id:
        raise InvalidInput("own_proposal")
    if await session.get(ProposalSupport, (proposal.id, user.id)) is not None:
        return False
    session.add(ProposalSupport(proposal_id=proposal.id, user_id=user.id))
    proposal.support_count += 1
    await session.flush()
    return True


async def take_back_support(session: AsyncSession, proposal: Proposal, user: User) -> bool:
    """Removes the person's support, if there is one; returns whether this call removed it."""
    existing = await session.get(ProposalSupport, (proposal.id, user.id))
    if existing is None:
        return False
    await session.delete(existing)
    proposal.support_count = max(0, proposal.support_count - 1)
    await session.flush()
    return True


async def supports(session: AsyncSession, proposal: Proposal, user: User) -> bool:
    return await session.get(ProposalSupport, (proposal.id, user.id)) is not None


# --- moderation and the author's own actions ----------------------------------------------


async def moderation_queue(session: AsyncSession, after_id: int = 0) -> tuple[list[Proposal], int]:
    """Oldest first, the page after the last id seen: publishing some of a page does not
    make the next page skip any. The total is of everything still waiting."""
    waiting = select(Proposal).where(Proposal.status == "submitted")
    total = await session.scalar(select(func.count()).select_from(waiting.subquery()))
    rows = await session.scalars(
        waiting.where(Proposal.id > after_id).order_by(Proposal.id).limit(PAGE_SIZE)
    )
    return list(rows), total or 0


async def approve(session: AsyncSession, proposal: Proposal, actor: User) -> None:
    await change_status(session, proposal, "published", actor_id=actor.id)


async def reject(session: AsyncSession, proposal: Proposal, actor: User, reason: str) -> None:
    reason = reason.strip()
    if not 3 <= len(reason) <= 1000:
        raise InvalidInput("reason_length", minimum=3, maximum=1000)
    await change_status(session, proposal, "rejected", actor_id=actor.id, note=reason)


async def retag(
    session: AsyncSession, proposal: Proposal, *, topic_code: str, region_code: str
) -> None:
    await check_tags(session, topic_code, region_code)
    proposal.topic_code, proposal.region_code = topic_code, region_code
    await session.flush()


async def withdraw(session: AsyncSession, proposal: Proposal, author: User) -> None:
    if proposal.author_id != author.id:
        raise NotAllowed("not the author")
    if proposal.status not in WITHDRAWABLE:
        raise InvalidInput("not_withdrawable")
    await change_status(session, proposal, "withdrawn", actor_id=author.id)


async def merge(session: AsyncSession, duplicate: Proposal, target: Proposal, actor: User) -> int:
    """The duplicate's supporters (and its author) carry over to the target, each counted
    once; the duplicate no longer shows on its own. Returns the target's new support count."""
    if duplicate.id == target.id or target.merged_into_id is not None:
        raise InvalidInput("bad_merge")
    carried = select(ProposalSupport.user_id).where(ProposalSupport.proposal_id == duplicate.id)
    already = select(ProposalSupport.user_id).where(ProposalSupport.proposal_id == target.id)
    supporters = set(await session.scalars(carried))
    for user_id in sorted(supporters | {duplicate.author_id}):
        await outbox.enqueue(
            session,
            user_id=user_id,
            kind="proposal_merged",
            template="proposal_merged",
            params={"from_id": duplicate.id, "into_id": target.id},
            dedupe_key=f"merged:{duplicate.id}:{user_id}",
        )
    newcomers = supporters | {duplicate.author_id}
    newcomers -= set(await session.scalars(already)) | {target.author_id}
    for user_id in newcomers:
        session.add(ProposalSupport(proposal_id=target.id, user_id=user_id))
    await session.execute(
        delete(ProposalSupport).where(ProposalSupport.proposal_id == duplicate.id)
    )
    duplicate.merged_into_id = target.id
    duplicate.support_count = 0
    await session.flush()
    target.support_count = (
        await session.scalar(select(func.count()).where(ProposalSupport.proposal_id == target.id))
        or 0
    )
    session.add(
        ProposalStatusChange(
            proposal_id=duplicate.id,
            status=duplicate.status,
            note=f"merged into #{target.id}",
            actor_id=actor.id,
        )
    )
    await session.flush()
    return target.support_count


async def supporter_ids(session: AsyncSession, proposal_id: int) -> list[int]:
    query = select(ProposalSupport.user_id).where(ProposalSupport.proposal_id == proposal_id)
    return list(await session.scalars(query))
