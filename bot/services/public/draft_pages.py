"""Drafts as the site shows them: the published ones with their agency and comment counts, one
draft's outline (every clause with its comment count), and after the discussion the table of
comments. Drafts still waiting for the organizer's confirmation are never returned; who wrote
a comment is told as the bot's own table tells it (bot/services/drafts/table.py): the name
only where the author agreed, else their category and region, and a country typed by hand
is not shown (free text): the person stands as abroad."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.drafts import PUBLISHED, table
from db.models import Agency, Draft, DraftClause

DRAFTS_SHOWN = 50


@dataclass
class DraftItem:
    draft: Draft
    agency: Agency | None
    clauses: int
    comments: int


def discussion_over(draft: Draft, now: datetime) -> bool:
    """The period ended (or the organizers closed it early): the table may be published."""
    return draft.closed_at is not None or draft.closes_at <= now


async def published_drafts(session: AsyncSession, limit: int = DRAFTS_SHOWN) -> list[DraftItem]:
    """Published drafts, the latest closing first, with their clause and comment counts."""
    counts = (
        select(
            DraftClause.draft_id,
            func.count().label("clauses"),
            func.coalesce(func.sum(DraftClause.comment_count), 0).label("comments"),
        )
        .group_by(DraftClause.draft_id)
        .subquery()
    )
    query = (
        select(Draft, Agency, counts.c.clauses, counts.c.comments)
        .outerjoin(Agency, Agency.id == Draft.agency_id)
        .outerjoin(counts, counts.c.draft_id == Draft.id)
        .where(Draft.status == PUBLISHED)
        .order_by(Draft.closes_at.desc(), Draft.id.desc())
        .limit(limit)
    )
    return [
        DraftItem(draft, agency, clauses or 0, comments or 0)
        for draft, agency, clauses, comments in (await session.execute(query)).all()
    ]


async def public_draft(session: AsyncSession, draft_id: int) -> DraftItem | None:
    draft = await session.scalar(
        select(Draft).where(Draft.id == draft_id, Draft.status == PUBLISHED)
    )
    if draft is None:
        return None
    clauses = await draft_clauses(session, draft.id)
    return DraftItem(
        draft,
        await session.get(Agency, draft.agency_id),
        len(clauses),
        sum(c.comment_count for c in clauses),
    )


async def draft_clauses(session: AsyncSession, draft_id: int) -> list[DraftClause]:
    """Every clause in reading order, with its chapter and section titles and comment count."""
    query = (
        select(DraftClause).where(DraftClause.draft_id == draft_id).order_by(DraftClause.position)
    )
    return list(await session.scalars(query))


async def comment_table(
    session: AsyncSession, draft_id: int, locale: str, untitled: str
) -> list[table.TableRow]:
    return await table.rows(session, draft_id, locale, untitled, typed_countries=False)
