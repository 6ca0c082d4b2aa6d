"""The drafts' sweep: a reminder to the registrants of the hearing a few days before the
period ends (once: `reminded_at` and the outbox dedupe key), and the closing of the period
(`closed_at`; comments are refused from `closes_at` on anyway), with a word to its organizer."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import events, outbox
from bot.services.drafts import PUBLISHED
from db.models import Draft, DraftComment

REMIND_BEFORE = timedelta(days=3)


def _params(draft: Draft, tz: ZoneInfo) -> dict[str, object]:
    return {
        "tz": str(tz),
        "draft_id": draft.id,
        "title": {"ky": draft.title("ky"), "ru": draft.title("ru")},
        "closes_at": draft.closes_at.isoformat(),
    }


def _closing_soon(now: datetime) -> list[Any]:
    """Published drafts of a hearing whose period ends within REMIND_BEFORE, not reminded."""
    return [
        Draft.status == PUBLISHED,
        Draft.event_id.is_not(None),
        Draft.reminded_at.is_(None),
        Draft.closes_at > now,
        Draft.closes_at <= now + REMIND_BEFORE,
    ]


def _ended(now: datetime) -> list[Any]:
    """Published drafts whose period is over but not yet closed."""
    return [Draft.status == PUBLISHED, Draft.closed_at.is_(None), Draft.closes_at <= now]


async def anything_due(session: AsyncSession, now: datetime) -> bool:
    """Whether queue_due has anything to do (a read, for an idle scheduler)."""
    found = select(Draft.id).where(or_(and_(*_closing_soon(now)), and_(*_ended(now)))).limit(1)
    return (await session.scalar(found)) is not None


async def queue_due(session: AsyncSession, now: datetime, tz: ZoneInfo) -> int:
    queued = 0
    due = await session.scalars(select(Draft).where(*_closing_soon(now)))
    for draft in list(due):
        assert draft.event_id is not None
        commenters = set(
            await session.scalars(
                select(DraftComment.author_id).where(DraftComment.draft_id == draft.id)
            )
        )
        for user_id in await events.event_registrant_ids(session, draft.event_id):
            queued += await outbox.enqueue(
                session,
                user_id=user_id,
                kind="draft_reminder",
                template="draft_closing_soon",
                params={**_params(draft, tz), "commented": user_id in commenters},
                dedupe_key=f"draft-closing:{draft.id}:{user_id}",
            )
        draft.reminded_at = now
    ended = await session.scalars(select(Draft).where(*_ended(now)))
    for draft in list(ended):
        draft.closed_at = now
        if draft.created_by_id is not None:
            queued += await outbox.enqueue(
                session,
                user_id=draft.created_by_id,
                kind="draft_closed",
                template="draft_closed",
                params=_params(draft, tz),
                dedupe_key=f"draft-closed:{draft.id}",
            )
    await session.flush()
    return queued
