"""Reading a draft: its outline with clause and comment counts per chapter, the clauses one
after another (keyset: after the last one seen), the most discussed clauses, and a clause's
comments. Read-only, so a public web page can show the same."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import InvalidInput
from db.models import DraftClause, DraftComment

OUTLINE_PAGE = 8
COMMENTS_PAGE = 5


@dataclass(frozen=True)
class ChapterLine:
    chapter: int
    title_ky: str | None
    title_ru: str | None
    clauses: int
    comments: int
    first_clause_id: int

    def title(self, locale: str | None) -> str:
        preferred = self.title_ky if locale == "ky" else self.title_ru
        return preferred or self.title_ru or self.title_ky or ""


async def outline(
    session: AsyncSession, draft_id: int, after_chapter: int = 0, limit: int = OUTLINE_PAGE
) -> list[ChapterLine]:
    """Chapters after `after_chapter` (keyset), with their clause and comment counts."""
    grouped = (
        select(
            DraftClause.chapter,
            func.count().label("clauses"),
            func.coalesce(func.sum(DraftClause.comment_count), 0).label("comments"),
            func.min(DraftClause.position).label("first"),
        )
        .where(DraftClause.draft_id == draft_id, DraftClause.chapter > after_chapter)
        .group_by(DraftClause.chapter)
        .order_by(DraftClause.chapter)
        .limit(limit)
    ).subquery()
    query = (
        select(
            grouped.c.chapter,
            DraftClause.chapter_title_ky,
            DraftClause.chapter_title_ru,
            grouped.c.clauses,
            grouped.c.comments,
            DraftClause.id,
        )
        .join(
            DraftClause,
            (DraftClause.draft_id == draft_id) & (DraftClause.position == grouped.c.first),
        )
        .order_by(grouped.c.chapter)
    )
    return [ChapterLine(*row) for row in (await session.execute(query)).all()]


async def chapter_count(session: AsyncSession, draft_id: int) -> int:
    query = select(func.max(DraftClause.chapter)).where(DraftClause.draft_id == draft_id)
    return int(await session.scalar(query) or 0)


async def clause(session: AsyncSession, clause_id: int) -> DraftClause:
    found = await session.get(DraftClause, clause_id)
    if found is None:
        raise InvalidInput("clause_not_found")
    return found


async def neighbour(
    session: AsyncSession, current: DraftClause, forward: bool
) -> DraftClause | None:
    """The next (or previous) clause in reading order."""
    query = select(DraftClause).where(DraftClause.draft_id == current.draft_id)
    if forward:
        query = query.where(DraftClause.position > current.position).order_by(DraftClause.position)
    else:
        query = query.where(DraftClause.position < current.position).order_by(
            DraftClause.position.desc()
        )
    return await session.scalar(query.limit(1))


async def first_clause(session: AsyncSession, draft_id: int, chapter: int) -> DraftClause | None:
    query = (
        select(DraftClause)
        .where(DraftClause.draft_id == draft_id, DraftClause.chapter == chapter)
        .order_by(DraftClause.position)
        .limit(1)
    )
    return await session.scalar(query)


async def most_discussed(
    session: AsyncSession, draft_id: int, limit: int = 10
) -> list[DraftClause]:
    query = (
        select(DraftClause)
        .where(DraftClause.draft_id == draft_id, DraftClause.comment_count > 0)
        .order_by(DraftClause.comment_count.desc(), DraftClause.position)
        .limit(limit)
    )
    return list(await session.scalars(query))


async def comments_page(
    session: AsyncSession, clause_id: int, after_id: int = 0, limit: int = COMMENTS_PAGE
) -> list[DraftComment]:
    """A clause's comments in the order written, after the last one seen (keyset)."""
    query = (
        select(DraftComment)
        .where(DraftComment.clause_id == clause_id, DraftComment.id > after_id)
        .order_by(DraftComment.id)
        .limit(limit)
    )
    return list(await session.scalars(query))


async def clause_counts(session: AsyncSession, draft_id: int) -> list[tuple[str, int]]:
    """(clause number, comments) for every clause in reading order: a web outline's counts."""
    query = (
        select(DraftClause.number, DraftClause.comment_count)
        .where(DraftClause.draft_id == draft_id)
        .order_by(DraftClause.position)
    )
    return [(number, count) for number, count in (await session.execute(query)).all()]
