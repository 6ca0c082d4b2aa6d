"""Comments and proposed wordings on a clause, supports (each person once), and the drafters'
decisions, each told to the author in their language through the outbox."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import outbox
from bot.services.drafts import COMMENT, DECISIONS, PUBLISHED, WORDING
from bot.services.errors import InvalidInput
from bot.services.validation import filled
from db.dialect import insert_for
from db.models import Draft, DraftClause, DraftComment, DraftCommentSupport, User

COMMENT_MAX = 3000
REASON_MAX = 1500
DECISION_REASON_MAX = 2000


def check_text(text: str | None, maximum: int = COMMENT_MAX) -> str:
    return filled((text or "").strip(), maximum, "comment_empty", "comment_too_long")


def is_open(draft: Draft, now: datetime) -> bool:
    return (
        draft.status == PUBLISHED
        and draft.opens_at is not None
        and draft.opens_at <= now < draft.closes_at
    )


async def open_clause(session: AsyncSession, clause_id: int, now: datetime) -> DraftClause:
    """The clause if its draft takes comments now; else why not."""
    clause = await session.get(DraftClause, clause_id)
    draft = await session.get(Draft, clause.draft_id) if clause is not None else None
    if clause is None or draft is None or draft.status != PUBLISHED:
        raise InvalidInput("clause_not_found")
    if not is_open(draft, now):
        raise InvalidInput("discussion_closed")
    return clause


@dataclass
class NewComment:
    clause_id: int
    kind: str  # COMMENT or WORDING
    text: str
    reason: str | None
    show_name: bool


async def add(session: AsyncSession, author: User, new: NewComment, now: datetime) -> DraftComment:
    """Checks everything first, then writes the comment and the clause's count together."""
    if not author.is_registered:
        raise InvalidInput("registration_required")
    if new.kind not in (COMMENT, WORDING):
        raise InvalidInput("comment_kind")
    text = check_text(new.text)
    reason = check_text(new.reason, REASON_MAX) if new.kind == WORDING else None
    clause = await open_clause(session, new.clause_id, now)
    comment = DraftComment(
        draft_id=clause.draft_id,
        clause_id=clause.id,
        author_id=author.id,
        kind=new.kind,
        text=text,
        reason=reason,
        show_name=new.show_name,
        region_code=author.region_code,
        country_code=author.country_code,
        country_other=author.country_other,
        category_code=author.category_code,
        created_at=now,
    )
    session.add(comment)
    await session.execute(
        update(DraftClause)
        .where(DraftClause.id == clause.id)
        .values(comment_count=DraftClause.comment_count + 1)
    )
    await session.flush()
    return comment


async def support(session: AsyncSession, user: User, comment_id: int, now: datetime) -> int:
    """Counts the person's support once; returns the comment's supporters."""
    comment = await session.get(DraftComment, comment_id)
    if comment is None:
        raise InvalidInput("comment_not_found")
    if not user.is_registered:
        raise InvalidInput("registration_required")
    await open_clause(session, comment.clause_id, now)
    if comment.author_id == user.id:
        raise InvalidInput("own_comment")
    insert = insert_for(session)
    result = await session.execute(
        insert(DraftCommentSupport)
        .values(comment_id=comment.id, user_id=user.id, created_at=now)
        .on_conflict_do_nothing()
    )
    if not result.rowcount:  # type: ignore[attr-defined]  # a DML result is a CursorResult
        raise InvalidInput("already_supported", count=comment.support_count)
    await session.execute(
        update(DraftComment)
        .where(DraftComment.id == comment.id)
        .values(support_count=DraftComment.support_count + 1)
    )
    await session.refresh(comment, ["support_count"])
    return comment.support_count


async def to_review(
    session: AsyncSession, draft_id: int, after_comment_id: int = 0
) -> DraftComment | None:
    """The next comment without a decision, clause by clause in reading order, after the one
    shown last (keyset on clause position, then comment id)."""
    query = (
        select(DraftComment)
        .join(DraftClause, DraftClause.id == DraftComment.clause_id)
        .where(DraftComment.draft_id == draft_id, DraftComment.decision.is_(None))
    )
    if after_comment_id:
        previous = await session.get(DraftComment, after_comment_id)
        if previous is not None:
            position = await session.scalar(
                select(DraftClause.position).where(DraftClause.id == previous.clause_id)
            )
            query = query.where(
                or_(
                    DraftClause.position > position,
                    and_(DraftClause.position == position, DraftComment.id > previous.id),
                )
            )
    query = query.order_by(DraftClause.position, DraftComment.id).limit(1)
    return await session.scalar(query)


async def count(session: AsyncSession, draft_id: int) -> int:
    """How many comments and wordings the draft has (the table's rows, without building it)."""
    query = select(func.count()).where(DraftComment.draft_id == draft_id)
    return int(await session.scalar(query) or 0)


async def undecided_count(session: AsyncSession, draft_id: int) -> int:
    query = select(func.count()).where(
        DraftComment.draft_id == draft_id, DraftComment.decision.is_(None)
    )
    return int(await session.scalar(query) or 0)


async def decide(
    session: AsyncSession,
    comment_id: int,
    decision: str,
    reason: str,
    actor: User,
    now: datetime,
) -> DraftComment:
    """Records the decision with its reason and tells the author (a later decision replaces
    an earlier one and is told again)."""
    if decision not in DECISIONS:
        raise InvalidInput("decision_unknown")
    reason = check_text(reason, DECISION_REASON_MAX)
    comment = await session.get(DraftComment, comment_id)
    if comment is None:
        raise InvalidInput("comment_not_found")
    clause = await session.get(DraftClause, comment.clause_id)
    draft = await session.get(Draft, comment.draft_id)
    assert clause is not None and draft is not None
    comment.decision = decision
    comment.decision_reason = reason
    comment.decided_by_id = actor.id
    comment.decided_at = now
    await outbox.enqueue(
        session,
        user_id=comment.author_id,
        kind="draft_decision",
        template="draft_decision",
        params={
            "draft_id": draft.id,
            "title": {"ky": draft.title("ky"), "ru": draft.title("ru")},
            "number": clause.number,
            "kind": comment.kind,
            "text": comment.text[:1000],
            "decision": decision,
            "reason": reason,
        },
    )
    await session.flush()
    return comment
