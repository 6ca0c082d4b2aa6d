"""What the public web site shows, and nothing more: published proposals (keyset pages, the
bot's own search words and index), their history and the agency they went to, the agencies'
table, events with their participation figures, and the rows of the open data.

Privacy is decided here, not in the templates: no phone numbers or Telegram ids are ever
read; an author's name is returned only when the author did not choose to stay anonymous;
proposals that were never published, or were withdrawn, rejected or merged away, are not
returned at all."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import agencies, events, proposals
from bot.services.proposals import FTS_TABLE, PUBLIC_STATUSES
from db.dialect import is_postgres
from db.models import (
    Agency,
    AgencyAnswer,
    AnswerSatisfaction,
    Country,
    Event,
    EventSummary,
    Forwarding,
    Proposal,
    ProposalStatusChange,
    User,
)

PAGE_SIZE = 20
AGENCY_ITEMS = 50
EVENTS_SHOWN = 50
EXPORT_CHUNK = 2000
SORTS = ("new", "support")


# --- proposals -------------------------------------------------------------------------------


def _public() -> Select:  # type: ignore[type-arg]
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
    stmt = _public()
    if region:
        stmt = stmt.where(Proposal.region_code == region)
    if topic:
        stmt = stmt.where(Proposal.topic_code == topic)
    if event_id:
        stmt = stmt.where(Proposal.event_id == event_id)
    words = proposals.search_words(query)
    if query.strip() and not words:
        return Listing([], {}, None)
    if words:
        sort = "new"
        if is_postgres(session):
            ids = proposals._matching_ids(session, words).scalar_subquery()
            stmt = stmt.where(Proposal.id.in_(ids)).order_by(Proposal.id.desc())
            if after:
                stmt = stmt.where(Proposal.id < after.id)
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
    found = list(await session.scalars(stmt.limit(limit + 1)))
    items, more = found[:limit], len(found) > limit
    last = items[-1] if items else None
    cursor = None
    if more and last is not None:
        cursor = Cursor(last.id, last.support_count if sort == "support" else None)
    return Listing(items, await author_names(session, items), cursor)


async def get_proposal(session: AsyncSession, proposal_id: int) -> Proposal | None:
    return await session.scalar(_public().where(Proposal.id == proposal_id))


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


# --- agencies --------------------------------------------------------------------------------


@dataclass
class AgencyRow:
    agency: Agency
    forwarded: int = 0
    answered: int = 0
    answered_on_time: int = 0
    open: int = 0
    overdue: int = 0
    median_days: float | None = None
    satisfied_share: float | None = None


def _days_between(session: AsyncSession, start: Any, end: Any) -> Any:
    if is_postgres(session):
        return func.extract("epoch", end - start) / 86400.0
    return func.julianday(end) - func.julianday(start)


async def agency_table(session: AsyncSession, now: datetime) -> list[AgencyRow]:
    """Every active agency with the figures of /agencies (agencies.figures, by the same rules),
    computed for all of them at once in the database; plus how many were answered on time."""
    rows = {
        agency.id: AgencyRow(agency)
        for agency in await session.scalars(
            select(Agency).where(Agency.is_active).order_by(Agency.name_ru)
        )
    }
    is_open = and_(Forwarding.answered_at.is_(None), Forwarding.returned_at.is_(None))
    counts = await session.execute(
        select(
            Forwarding.agency_id,
            func.count(),
            func.count(Forwarding.answered_at),
            func.sum(case((Forwarding.answered_at <= Forwarding.due_at, 1), else_=0)),
            func.sum(case((is_open, 1), else_=0)),
            func.sum(case((and_(is_open, Forwarding.due_at < now), 1), else_=0)),
        ).group_by(Forwarding.agency_id)
    )
    for agency_id, forwarded, answered, on_time, open_, overdue in counts.all():
        if agency_id in rows:
            row = rows[agency_id]
            row.forwarded, row.answered = forwarded, answered
            row.answered_on_time, row.open, row.overdue = on_time or 0, open_ or 0, overdue or 0
    # The median, in the database: the middle one or two of each agency's answer times.
    days = _days_between(session, Forwarding.forwarded_at, Forwarding.answered_at).label("days")
    ranked = (
        select(
            Forwarding.agency_id.label("agency_id"),
            days,
            func.row_number().over(partition_by=Forwarding.agency_id, order_by=days).label("rn"),
            func.count().over(partition_by=Forwarding.agency_id).label("n"),
        )
        .where(Forwarding.answered_at.is_not(None))
        .subquery()
    )
    n, rn = ranked.c.n, ranked.c.rn
    middle = select(ranked.c.agency_id, func.avg(ranked.c.days)).where(
        or_(rn == (n + 1) / 2, rn == (n + 2) / 2)
    )
    for agency_id, median in (await session.execute(middle.group_by(ranked.c.agency_id))).all():
        if agency_id in rows and median is not None:
            rows[agency_id].median_days = round(float(median), 1)
    votes = await session.execute(
        select(
            Forwarding.agency_id,
            func.count(),
            func.sum(case((AnswerSatisfaction.satisfied, 1), else_=0)),
        )
        .select_from(AnswerSatisfaction)
        .join(AgencyAnswer, AgencyAnswer.id == AnswerSatisfaction.answer_id)
        .join(Forwarding, Forwarding.id == AgencyAnswer.forwarding_id)
        .group_by(Forwarding.agency_id)
    )
    for agency_id, total, satisfied in votes.all():
        if agency_id in rows and total:
            rows[agency_id].satisfied_share = (satisfied or 0) / total
    return list(rows.values())


async def agency_by_code(session: AsyncSession, code: str) -> Agency | None:
    return await session.scalar(select(Agency).where(Agency.code == code, Agency.is_active))


@dataclass
class AgencyPage:
    agency: Agency
    figures: agencies.AgencyFigures
    open_items: list[tuple[Proposal, Forwarding]]
    answered_items: list[tuple[Proposal, Forwarding]]


async def agency_page(session: AsyncSession, agency: Agency, now: datetime) -> AgencyPage:
    """The agency's figures (agencies.figures, as in /agencies), its open items, oldest due
    first, and its latest answered ones."""
    base = (
        select(Proposal, Forwarding)
        .join(Forwarding, Forwarding.proposal_id == Proposal.id)
        .where(
            Forwarding.agency_id == agency.id,
            Proposal.status.in_(PUBLIC_STATUSES),
            Proposal.merged_into_id.is_(None),
        )
    )
    open_query = base.where(Forwarding.answered_at.is_(None), Forwarding.returned_at.is_(None))
    answered_query = base.where(Forwarding.answered_at.is_not(None))
    open_rows = await session.execute(
        open_query.order_by(Forwarding.due_at, Forwarding.id).limit(AGENCY_ITEMS)
    )
    answered_rows = await session.execute(
        answered_query.order_by(Forwarding.answered_at.desc(), Forwarding.id.desc()).limit(
            AGENCY_ITEMS
        )
    )
    return AgencyPage(
        agency,
        await agencies.figures(session, agency.id, now),
        [(p, f) for p, f in open_rows.all()],
        [(p, f) for p, f in answered_rows.all()],
    )


# --- events ----------------------------------------------------------------------------------


async def event_lists(session: AsyncSession, now: datetime) -> tuple[list[Event], list[Event]]:
    """Published events: those not ended yet, soonest first; and the past ones, latest first."""
    published = select(Event).where(Event.status == events.PUBLISHED)
    upcoming = await session.scalars(
        published.where(Event.ends_at > now).order_by(Event.starts_at, Event.id).limit(EVENTS_SHOWN)
    )
    past = await session.scalars(
        published.where(Event.ends_at <= now)
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .limit(EVENTS_SHOWN)
    )
    return list(upcoming), list(past)


async def public_event(session: AsyncSession, event_id: int) -> Event | None:
    return await session.scalar(
        select(Event).where(Event.id == event_id, Event.status == events.PUBLISHED)
    )


@dataclass
class Participation:
    registered: int
    women: int
    men: int
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_country: list[tuple[str, int]] = field(default_factory=list)


async def participation(
    session: AsyncSession, event_id: int, locale: str, other_country: str
) -> Participation:
    """events.stats (the figures of the organizers' reports), with the countries typed as
    free text counted together under `other_country`: free text is not published."""
    figures = await events.stats(session, event_id, locale)
    known = {row.name(locale) for row in await session.scalars(select(Country))}
    countries: dict[str, int] = {}
    for name, count in figures.by_country.items():
        key = name if name in known else other_country
        countries[key] = countries.get(key, 0) + count

    def ordered(counter: dict[str, int]) -> list[tuple[str, int]]:
        return sorted(counter.items(), key=lambda item: (-item[1], item[0]))

    return Participation(
        figures.registered,
        figures.women,
        figures.men,
        ordered(figures.by_category),
        ordered(countries),
    )


async def summary_of(session: AsyncSession, event_id: int) -> EventSummary | None:
    return await session.get(EventSummary, event_id)


# --- open data and freshness -----------------------------------------------------------------


EXPORT_FIELDS = (
    "id",
    "created_at",
    "region",
    "topic",
    "event_id",
    "status",
    "support_count",
    "author_name",
    "text",
    "agency",
    "forwarded_at",
    "due_at",
    "answered_at",
    "outcome",
    "answer",
    "author_satisfied",
)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


async def export_rows(session: AsyncSession) -> AsyncIterator[dict[str, Any]]:
    """Every published proposal, oldest first, read in chunks (keyset on id), with its latest
    forwarding and answer. The author's name only where they chose to be named."""
    codes = {a.id: a.code for a in await session.scalars(select(Agency))}
    last = 0
    while True:
        chunk = list(
            await session.scalars(
                _public().where(Proposal.id > last).order_by(Proposal.id).limit(EXPORT_CHUNK)
            )
        )
        if not chunk:
            return
        last = chunk[-1].id
        names = await author_names(session, chunk)
        ids = [p.id for p in chunk]
        forwarded: dict[int, tuple[Forwarding, AgencyAnswer | None, bool | None]] = {}
        answer: AgencyAnswer | None  # outer joins: a forwarding may have neither
        satisfied: bool | None
        rows = await session.execute(
            select(Forwarding, AgencyAnswer, AnswerSatisfaction.satisfied)
            .outerjoin(AgencyAnswer, AgencyAnswer.forwarding_id == Forwarding.id)
            .outerjoin(AnswerSatisfaction, AnswerSatisfaction.answer_id == AgencyAnswer.id)
            .where(Forwarding.proposal_id.in_(ids))
            .order_by(Forwarding.id)
        )
        for forwarding, answer, satisfied in rows.all():
            forwarded[forwarding.proposal_id] = (forwarding, answer, satisfied)
        for p in chunk:
            f, answer, satisfied = forwarded.get(p.id, (None, None, None))
            yield {
                "id": p.id,
                "created_at": _iso(p.created_at),
                "region": p.region_code,
                "topic": p.topic_code,
                "event_id": p.event_id,
                "status": p.status,
                "support_count": p.support_count,
                "author_name": names.get(p.id),
                "text": p.text,
                "agency": codes.get(f.agency_id) if f else None,
                "forwarded_at": _iso(f.forwarded_at) if f else None,
                "due_at": _iso(f.due_at) if f else None,
                "answered_at": _iso(f.answered_at) if f else None,
                "outcome": answer.outcome if answer else None,
                "answer": answer.text if answer else None,
                "author_satisfied": satisfied,
            }


AGENCY_FIELDS = (
    "code",
    "name_ky",
    "name_ru",
    "answer_days",
    "working_days",
    "forwarded",
    "answered",
    "answered_on_time",
    "open",
    "overdue_now",
    "median_days_to_answer",
    "satisfied_share",
)


def agency_record(row: AgencyRow) -> dict[str, Any]:
    return {
        "code": row.agency.code,
        "name_ky": row.agency.name_ky,
        "name_ru": row.agency.name_ru,
        "answer_days": row.agency.answer_days,
        "working_days": row.agency.working_days,
        "forwarded": row.forwarded,
        "answered": row.answered,
        "answered_on_time": row.answered_on_time,
        "open": row.open,
        "overdue_now": row.overdue,
        "median_days_to_answer": row.median_days,
        "satisfied_share": None if row.satisfied_share is None else round(row.satisfied_share, 3),
    }


async def last_change(session: AsyncSession, now: datetime) -> datetime | None:
    """The latest change to anything the site shows (a new or changed proposal, status,
    forwarding, answer, vote, event or summary, or an event that ended since), in one
    statement of indexed look-ups."""
    latest = select(
        select(func.max(Proposal.updated_at)).scalar_subquery(),
        select(ProposalStatusChange.created_at)
        .order_by(ProposalStatusChange.id.desc())
        .limit(1)
        .scalar_subquery(),
        select(Forwarding.forwarded_at).order_by(Forwarding.id.desc()).limit(1).scalar_subquery(),
        select(AgencyAnswer.created_at).order_by(AgencyAnswer.id.desc()).limit(1).scalar_subquery(),
        select(func.max(AnswerSatisfaction.created_at)).scalar_subquery(),
        select(func.max(Event.updated_at)).scalar_subquery(),
        select(func.max(EventSummary.published_at)).scalar_subquery(),
        select(func.max(Event.ends_at)).where(Event.ends_at <= now).scalar_subquery(),
    )
    row = (await session.execute(latest)).one()
    found = [value if isinstance(value, datetime) else _parse(value) for value in row if value]
    return max(found, default=None)


def _parse(value: object) -> datetime:
    moment = datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
