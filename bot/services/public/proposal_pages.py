"""Published proposals as the site lists them: keyset pages after a cursor, filtered and
searched with the bot's own words and index, and one proposal's page (its history, the agency
it went to, the answer)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import agencies, proposals
from bot.services.proposals import FTS_TABLE
from bot.services.proposals.search import pg_match, pg_newest_matches
from db.dialect import is_postgres
from db.models import (
    Agency,
    AgencyAnswer,
    AnswerSatisfaction,
    Forwarding,
    Proposal,
    ProposalStatusChange,
    User,
)

PAGE_SIZE = 20
SORTS = ("new", "support")


def published_proposals() -> Select:  # type: ignore[type-arg]
    """What the bot shows anyone (published and after, not merged away)."""
    return proposals._public()


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the last proposal's id (and its support, when sorted by it)."""

    id: int
    support: int | None = None

    def token(self) -> str:
        return str(self.id) if self.support is None else f"{self.support}_{self.id}"

    @staticmethod
    def parse(value: str | None) -> "Cursor | None":
        parts = (value or "").split("_")
        if not all(part.isdigit() and len(part) < 12 for part in parts) or len(parts) > 2:
            return None
        if len(parts) == 2:
            return Cursor(id=int(parts[1]), support=int(parts[0]))
        return Cursor(id=int(parts[0]))


@dataclass
class Listing:
    items: list[Proposal]
    names: dict[int, str]  # proposal id -> the author's chosen name
    next: Cursor | None


async def author_names(session: AsyncSession, items: list[Proposal]) -> dict[int, str]:
    """Proposal id -> its author's name, for authors who chose to be named."""
    named = {p.author_id for p in items if not p.is_anonymous}
    if not named:
        return {}
    rows = await session.execute(
        select(User.id, User.full_name).where(User.id.in_(named), User.full_name.is_not(None))
    )
    by_user = {user_id: name for user_id, name in rows.all() if name}
    return {
        p.id: by_user[p.author_id] for p in items if not p.is_anonymous and p.author_id in by_user
    }


def _fts_match(words: list[str]) -> str:
    # The same prefix query as proposals.search: Kyrgyz suffixes are not stemmed.
    return " AND ".join(f'"{word}"*' for word in words)


async def listing(
    session: AsyncSession,
    *,
    region: str | None = None,
    topic: str | None = None,
    event_id: int | None = None,
    query: str = "",
    sort: str = "new",
    after: Cursor | None = None,
    limit: int = PAGE_SIZE,
) -> Listing:
    """One page of published proposals after `after`. A search is newest first and uses the
    bot's words (proposals.search_words) and index, so it folds the text as the bot does."""
    stmt = published_proposals()
    chosen = (
        (Proposal.region_code, region),
        (Proposal.topic_code, topic),
        (Proposal.event_id, event_id),
    )
    stmt = stmt.where(*(column == value for column, value in chosen if value))
    words = proposals.search_words(query)
    if query.strip() and not words:
        return Listing([], {}, None)
    if words:
        sort = "new"
        if is_postgres(session):
            # The bot's search query (see proposals.search): up to SEARCH_COUNT_CAP matches
            # first, then the page among them or, for a common word, newest first.
            found, _ = await pg_newest_matches(
                session,
                stmt.where(pg_match(words)),
                limit=limit + 1,
                before_id=after.id if after else None,
            )
            return await _listing(session, found, limit, sort)
        else:
            # Walking the index newest first stops after one page (see proposals.search).
            stmt = (
                stmt.join(FTS_TABLE, FTS_TABLE.c.rowid == Proposal.id)
                .where(text("proposals_fts MATCH :match"))
                .params(match=_fts_match(words))
                .order_by(FTS_TABLE.c.rowid.desc())
            )
            if after:
                stmt = stmt.where(FTS_TABLE.c.rowid < after.id)
    elif sort == "support":
        stmt = stmt.order_by(Proposal.support_count.desc(), Proposal.id.desc())
        if after and after.support is not None:
            stmt = stmt.where(
                or_(
                    Proposal.support_count < after.support,
                    and_(Proposal.support_count == after.support, Proposal.id < after.id),
                )
            )
    else:
        stmt = stmt.order_by(Proposal.id.desc())
        if after:
            stmt = stmt.where(Proposal.id < after.id)
    return await _listing(session, list(await session.scalars(stmt.limit(limit + 1))), limit, sort)


async def _listing(session: AsyncSession, found: list[Proposal], limit: int, sort: str) -> Listing:
    items, more = found[:limit], len(found) > limit
    last = items[-1] if items else None
    cursor = None
    if more and last is not None:
        cursor = Cursor(last.id, last.support_count if sort == "support" else None)
    return Listing(items, await author_names(session, items), cursor)


async def get_proposal(session: AsyncSession, proposal_id: int) -> Proposal | None:
    return await session.scalar(published_proposals().where(Proposal.id == proposal_id))


@dataclass
class ProposalDetail:
    proposal: Proposal
    author_name: str | None
    history: list[ProposalStatusChange]
    forwarding: Forwarding | None = None
    agency: Agency | None = None
    answer: AgencyAnswer | None = None
    satisfied: bool | None = None
    overdue_days: int = 0


async def detail(
    session: AsyncSession, proposal: Proposal, now: datetime, tz: Any
) -> ProposalDetail:
    names = await author_names(session, [proposal])
    result = ProposalDetail(
        proposal, names.get(proposal.id), await proposals.history(session, proposal)
    )
    # The latest forwarding (as agencies.current_forwarding), its agency, answer and the
    # author's vote, in one statement.
    latest = await session.execute(
        select(Forwarding, Agency, AgencyAnswer, AnswerSatisfaction.satisfied)
        .join(Agency, Agency.id == Forwarding.agency_id)
        .outerjoin(AgencyAnswer, AgencyAnswer.forwarding_id == Forwarding.id)
        .outerjoin(AnswerSatisfaction, AnswerSatisfaction.answer_id == AgencyAnswer.id)
        .where(Forwarding.proposal_id == proposal.id)
        .order_by(Forwarding.id.desc())
        .limit(1)
    )
    row = latest.first()
    if row is None or row[0].returned_at is not None:
        return result
    result.forwarding, result.agency, result.answer, result.satisfied = row
    if result.answer is None:
        result.overdue_days = agencies.overdue_days(row[0].due_at, now, tz)
    return result
