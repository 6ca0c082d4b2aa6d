"""Organizers publish a draft: the form, the parsed text stored as clauses (still "pending"
until the outline is confirmed), the other language's version paired clause by clause, a new
version that tells commenters what changed in their clause."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import outbox
from bot.services.drafts import PENDING, PUBLISHED
from bot.services.drafts.parsing import Pairing, ParsedDraft, pair
from bot.services.errors import InvalidInput
from bot.services.validation import filled
from db.models import Agency, AgencyRepresentative, Draft, DraftClause, DraftComment, Event, User

TITLE_MAX = 300
PERIOD_MAX_DAYS = 366


@dataclass
class DraftForm:
    title_ky: str | None
    title_ru: str | None
    agency_id: int
    closes_on: date
    event_id: int | None = None


def check_title(text: str) -> str:
    return filled(" ".join(text.split()), TITLE_MAX, "text_empty", "text_too_long")


def closes_at_of(day: date, tz: ZoneInfo) -> datetime:
    """The period runs to the end of `day` in local time."""
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=tz).astimezone(
        ZoneInfo("UTC")
    )


def check_closing_day(day: date, now: datetime, tz: ZoneInfo) -> date:
    today = now.astimezone(tz).date()
    if day < today:
        raise InvalidInput("day_in_past")
    if day > today + timedelta(days=PERIOD_MAX_DAYS):
        raise InvalidInput("period_too_long", maximum=PERIOD_MAX_DAYS)
    return day


async def create_pending(
    session: AsyncSession,
    form: DraftForm,
    parsed: ParsedDraft,
    author: User,
    now: datetime,
    tz: ZoneInfo,
) -> Draft:
    """Stores the whole draft and its clauses at once, or nothing (the caller's transaction)."""
    if not (form.title_ky or form.title_ru):
        raise InvalidInput("title_required")
    if await session.get(Agency, form.agency_id) is None:
        raise InvalidInput("agency_unknown")
    if form.event_id is not None and await session.get(Event, form.event_id) is None:
        raise InvalidInput("event_not_found")
    check_closing_day(form.closes_on, now, tz)
    language = "ky" if form.title_ky else "ru"
    draft = Draft(
        title_ky=form.title_ky,
        title_ru=form.title_ru,
        agency_id=form.agency_id,
        event_id=form.event_id,
        status=PENDING,
        primary_language=language,
        has_headings=parsed.has_headings,
        closes_at=closes_at_of(form.closes_on, tz),
        created_by_id=author.id,
        created_at=now,
    )
    session.add(draft)
    await session.flush()
    await _insert_clauses(session, draft, parsed)
    return draft


async def _insert_clauses(session: AsyncSession, draft: Draft, parsed: ParsedDraft) -> None:
    rows = []
    lang = draft.primary_language
    for position, (chapter_no, chapter, section, clause) in enumerate(parsed.clauses(), start=1):
        rows.append(
            {
                "draft_id": draft.id,
                "position": position,
                "chapter": chapter_no,
                f"chapter_title_{lang}": chapter.title or None,
                f"section_title_{lang}": section.title or None,
                "number": clause.number[:40],
                f"text_{lang}": clause.text,
                "comment_count": 0,
            }
        )
    for start in range(0, len(rows), 2000):
        await session.execute(insert(DraftClause), rows[start : start + 2000])


async def pending_draft(session: AsyncSession, draft_id: int) -> Draft:
    draft = await session.get(Draft, draft_id)
    if draft is None or draft.status != PENDING:
        raise InvalidInput("draft_not_pending")
    return draft


async def add_translation(session: AsyncSession, draft: Draft, parsed: ParsedDraft) -> Pairing:
    """The other language's version, paired with the stored clauses in reading order."""
    other = "ru" if draft.primary_language == "ky" else "ky"
    clauses = list(
        await session.scalars(
            select(DraftClause)
            .where(DraftClause.draft_id == draft.id)
            .order_by(DraftClause.position)
        )
    )
    primary = _as_parsed(clauses, draft.primary_language, draft.has_headings)
    pairing = pair(primary, parsed)
    for clause, text, chapter_title, section_title in zip(
        clauses, pairing.texts, pairing.chapter_titles, pairing.section_titles, strict=True
    ):
        setattr(clause, f"text_{other}", text)
        setattr(clause, f"chapter_title_{other}", chapter_title or None)
        setattr(clause, f"section_title_{other}", section_title or None)
    await session.flush()
    return pairing


def _as_parsed(clauses: list[DraftClause], language: str, has_headings: bool) -> ParsedDraft:
    from bot.services.drafts.parsing import ParsedChapter, ParsedClause, ParsedSection

    chapters: list[ParsedChapter] = []
    last: tuple[int, str | None] | None = None
    for clause in clauses:
        if not chapters or (chapters and last is not None and last[0] != clause.chapter):
            chapters.append(ParsedChapter(getattr(clause, f"chapter_title_{language}") or ""))
            last = (clause.chapter, None)
            chapters[-1].sections.append(
                ParsedSection(getattr(clause, f"section_title_{language}") or "")
            )
        section_title = getattr(clause, f"section_title_{language}") or ""
        if chapters[-1].sections[-1].title != section_title:
            chapters[-1].sections.append(ParsedSection(section_title))
        text = getattr(clause, f"text_{language}") or ""
        chapters[-1].sections[-1].clauses.append(ParsedClause(clause.number, text))
    return ParsedDraft(chapters, has_headings)


async def confirm(session: AsyncSession, draft: Draft, now: datetime) -> None:
    if draft.status != PENDING:
        raise InvalidInput("draft_not_pending")
    draft.status = PUBLISHED
    draft.opens_at = now
    await session.flush()


async def discard(session: AsyncSession, draft: Draft) -> None:
    if draft.status != PENDING:
        raise InvalidInput("draft_not_pending")
    await session.execute(delete(DraftClause).where(DraftClause.draft_id == draft.id))
    await session.delete(draft)
    await session.flush()


async def get_published(session: AsyncSession, draft_id: int) -> Draft:
    draft = await session.get(Draft, draft_id)
    if draft is None or draft.status != PUBLISHED:
        raise InvalidInput("draft_not_found")
    return draft


async def open_drafts(session: AsyncSession, now: datetime, limit: int = 20) -> list[Draft]:
    query = (
        select(Draft)
        .where(Draft.status == PUBLISHED, Draft.closes_at > now)
        .order_by(Draft.closes_at, Draft.id)
        .limit(limit)
    )
    return list(await session.scalars(query))


async def responsible_agencies(session: AsyncSession) -> list[Agency]:
    """The agencies a new draft may be given to: the active ones, by their Kyrgyz name."""
    query = select(Agency).where(Agency.is_active).order_by(Agency.name_ky, Agency.id)
    return list(await session.scalars(query))


async def recent_drafts(session: AsyncSession, limit: int = 20) -> list[Draft]:
    """For organizers: every draft, the newest first (pending ones too)."""
    return list(await session.scalars(select(Draft).order_by(Draft.id.desc()).limit(limit)))


async def drafts_of_representative(
    session: AsyncSession, user: User, limit: int = 20
) -> list[Draft]:
    """The published drafts of the agencies the person represents, the newest first."""
    query = (
        select(Draft)
        .join(AgencyRepresentative, AgencyRepresentative.agency_id == Draft.agency_id)
        .where(AgencyRepresentative.user_id == user.id, Draft.status == PUBLISHED)
        .order_by(Draft.id.desc())
        .limit(limit)
    )
    return list(await session.scalars(query))


async def for_event(session: AsyncSession, event_id: int) -> Draft | None:
    query = (
        select(Draft)
        .where(Draft.event_id == event_id, Draft.status == PUBLISHED)
        .order_by(Draft.id.desc())
        .limit(1)
    )
    return await session.scalar(query)


async def new_version(
    session: AsyncSession, draft: Draft, parsed: ParsedDraft, now: datetime
) -> int:
    """Replaces the text of the clauses that keep their number (chapter and number) and tells
    everyone who commented on a changed clause what it says now. Clauses are neither added nor
    removed here: InvalidInput("structure_changed") if the numbers differ. Returns how many
    clauses changed."""
    language = draft.primary_language
    clauses = list(
        await session.scalars(
            select(DraftClause)
            .where(DraftClause.draft_id == draft.id)
            .order_by(DraftClause.position)
        )
    )
    incoming = {(chapter_no, c.number): c.text for chapter_no, _, _, c in parsed.clauses()}
    if set(incoming) != {(c.chapter, c.number) for c in clauses}:
        raise InvalidInput("structure_changed")
    changed = [
        c
        for c in clauses
        if (getattr(c, f"text_{language}") or "") != incoming[(c.chapter, c.number)]
    ]
    draft.version += 1
    title = {"ky": draft.title("ky"), "ru": draft.title("ru")}
    for clause in changed:
        old = getattr(clause, f"text_{language}") or ""
        setattr(clause, f"text_{language}", incoming[(clause.chapter, clause.number)])
        authors = await session.scalars(
            select(DraftComment.author_id)
            .where(DraftComment.clause_id == clause.id)
            .group_by(DraftComment.author_id)
        )
        for author_id in authors:
            await outbox.enqueue(
                session,
                user_id=author_id,
                kind="draft_version",
                template="draft_clause_changed",
                params={
                    "draft_id": draft.id,
                    "title": title,
                    "number": clause.number,
                    "version": draft.version,
                    "old": old[:1500],
                    "new": incoming[(clause.chapter, clause.number)][:1500],
                },
                dedupe_key=f"draft-version:{draft.id}:{draft.version}:{clause.id}:{author_id}",
            )
    await session.flush()
    return len(changed)


async def clause_total(session: AsyncSession, draft_id: int) -> int:
    query = select(func.count()).select_from(DraftClause).where(DraftClause.draft_id == draft_id)
    return int(await session.scalar(query) or 0)
