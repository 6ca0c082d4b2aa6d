"""Organizer announcements: the audience, the outbox rows, stopping, and the progress."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import outbox
from bot.services.errors import InvalidInput
from db.dialect import is_postgres
from db.models import Broadcast, OutboxMessage, Registration, User, utcnow

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
PROGRESS_INTERVAL_SECONDS = 3.0
FANOUT_CHUNK = 1000
STOPPED = "stopped by the organizer"
AUDIENCE_KINDS = ("all", "region", "abroad", "category", "language", "event")


@dataclass(frozen=True)
class Audience:
    kind: str = "all"
    value: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value}


def check_texts(
    text_ky: str | None, text_ru: str | None, attachment_kind: str | None
) -> tuple[str | None, str | None]:
    texts = [t.strip() if t else None for t in (text_ky, text_ru)]
    if not any(texts) and attachment_kind is None:
        raise InvalidInput("announcement_empty")
    limit = CAPTION_LIMIT if attachment_kind else TEXT_LIMIT
    for text in texts:
        if text and len(text) > limit:
            reason = "caption_too_long" if attachment_kind else "text_too_long"
            raise InvalidInput(reason, limit=limit, length=len(text))
    return texts[0] or None, texts[1] or None


def audience_query(audience: Audience) -> Select[Any]:
    """Registered people who take announcements and have not blocked the bot. Registrants
    of an event get news of that event (a moved venue) even with announcements off."""
    query = select(User.id).where(User.registered_at.is_not(None), User.is_reachable)
    if audience.kind == "event":
        registrants = select(Registration.user_id).where(
            Registration.event_id == int(audience.value or 0),
            Registration.status == "registered",
        )
        return query.where(User.id.in_(registrants))
    query = query.where(User.announcements_enabled)
    if audience.kind == "region":
        query = query.where(User.region_code == audience.value)
    elif audience.kind == "abroad":
        query = query.where(User.region_code == "abroad")
    elif audience.kind == "category":
        query = query.where(User.category_code == audience.value)
    elif audience.kind == "language":
        query = query.where(User.language == audience.value)
    elif audience.kind != "all":
        raise InvalidInput("unknown_audience")
    return query


async def count_rows(session: AsyncSession, query: Select[Any]) -> int:
    """How many rows `query` gives (an audience's people, for one)."""
    return await session.scalar(select(func.count()).select_from(query.subquery())) or 0


async def count_audience(session: AsyncSession, audience: Audience) -> int:
    return await count_rows(session, audience_query(audience))


async def start(
    session: AsyncSession,
    *,
    author: User,
    text_ky: str | None,
    text_ru: str | None,
    attachment_kind: str | None,
    attachment_ref: str | None,
    audience: Audience,
) -> Broadcast:
    """Creates the announcement, its content stored once; the recipients' outbox rows are
    added in the background (`fan_out`), so this returns at once whatever the audience."""
    text_ky, text_ru = check_texts(text_ky, text_ru, attachment_kind)
    total = await count_audience(session, audience)
    if not total:
        raise InvalidInput("audience_empty")
    broadcast = Broadcast(
        author_id=author.id,
        text_ky=text_ky,
        text_ru=text_ru,
        attachment_kind=attachment_kind,
        attachment_ref=attachment_ref,
        audience=audience.as_dict(),
        status="sending",
        total=total,
        progress_chat_id=author.telegram_id,
        fanout_after_user_id=0,
        fanned_out=0,
        archived_counts={},
    )
    session.add(broadcast)
    await session.flush()
    outbox.rows_added(session)  # wakes the workers, which fan it out
    return broadcast


def content(broadcast: Broadcast) -> dict[str, Any]:
    """What each recipient's row of this announcement is rendered from."""
    texts = {lang: text for lang, text in (("ky", broadcast.text_ky), ("ru", broadcast.text_ru))}
    return {"texts": {lang: text for lang, text in texts.items() if text}}


# An announcement whose recipients are still being added to the outbox.
_FANNING_OUT = (Broadcast.status == "sending", Broadcast.fanout_after_user_id.is_not(None))


async def fanning_out(session: AsyncSession) -> bool:
    """Whether `fan_out` would find an announcement to work on."""
    return await session.scalar(select(Broadcast.id).where(*_FANNING_OUT).limit(1)) is not None


async def fan_out(session: AsyncSession, chunk: int = FANOUT_CHUNK) -> bool:
    """Adds the next `chunk` recipients of one announcement still being fanned out as outbox
    rows (one short transaction, the caller commits); False when no announcement waits for
    it. One process at a time takes a given announcement."""
    query = select(Broadcast).where(*_FANNING_OUT).order_by(Broadcast.id).limit(1)
    if is_postgres(session):
        query = query.with_for_update(skip_locked=True)
    broadcast = await session.scalar(query)
    if broadcast is None:
        return False
    after = broadcast.fanout_after_user_id or 0
    audience = Audience(**broadcast.audience)
    recipients = list(
        await session.scalars(
            audience_query(audience).where(User.id > after).order_by(User.id).limit(chunk)
        )
    )
    await outbox.enqueue_many(
        session,
        [
            outbox.new_row(
                user_id=user_id,
                kind="announcement",
                template="announcement",
                broadcast_id=broadcast.id,
            )
            for user_id in recipients
        ],
    )
    broadcast.fanned_out += len(recipients)
    if len(recipients) < chunk:
        broadcast.fanout_after_user_id = None
        broadcast.total = broadcast.fanned_out  # whoever joined the audience meanwhile too
    else:
        broadcast.fanout_after_user_id = recipients[-1]
    return True


async def attach_progress_message(
    session: AsyncSession, broadcast_id: int, chat_id: int, message_id: int
) -> None:
    await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id)
        .values(progress_chat_id=chat_id, progress_message_id=message_id)
    )


async def stop(session: AsyncSession, broadcast: Broadcast) -> int:
    """Nothing still waiting is sent, not even the rows a worker has claimed (a worker
    takes each row off just before sending it, bot/delivery.py); returns how many messages
    were held back, which is the report's figure too."""
    if broadcast.status != "sending":
        return 0
    broadcast.status = "stopped"
    not_added = 0
    if broadcast.fanout_after_user_id is not None:
        not_added = max(broadcast.total - broadcast.fanned_out, 0)
        broadcast.fanout_after_user_id = None
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.broadcast_id == broadcast.id,
            OutboxMessage.status.in_(("pending", "sending")),
        )
        .values(status="dropped", error=STOPPED)
    )
    return (result.rowcount or 0) + not_added  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ProgressView:
    broadcast_id: int
    chat_id: int
    message_id: int
    locale: str
    status: str
    total: int
    sent: int
    blocked: int
    failed: int
    stopped: int
    waiting: int
    started_at: datetime
    last_text: str | None
    failure_reasons: list[tuple[str, int]]

    @property
    def finished(self) -> bool:
        return self.waiting == 0


def _total(counts: dict[tuple[str, str | None], int], status: str) -> int:
    return sum(n for (s, _), n in counts.items() if s == status)


# Announcements with a progress message and no final report yet.
_PROGRESS_SHOWN_NOT_FINAL = (
    Broadcast.progress_message_id.is_not(None),
    Broadcast.finished_at.is_(None),
)


async def progress_pending(session: AsyncSession) -> bool:
    """Whether `progress_views` would find anything: a cheap look for an idle bot."""
    query = select(Broadcast.id).where(*_PROGRESS_SHOWN_NOT_FINAL).limit(1)
    return await session.scalar(query) is not None


async def progress_views(session: AsyncSession) -> list[ProgressView]:
    """Announcements whose progress message needs a look: running, or ended but the final
    report not yet shown."""
    query = (
        select(Broadcast, User.language)
        .outerjoin(User, User.id == Broadcast.author_id)
        .where(*_PROGRESS_SHOWN_NOT_FINAL)
    )
    views = []
    for broadcast, language in (await session.execute(query)).all():
        counts: dict[tuple[str, str | None], int] = {}
        error: str | None
        for key, count in (broadcast.archived_counts or {}).items():
            status, _, error = key.partition("|")
            counts[(status, error or None)] = count
        by_status = (
            select(OutboxMessage.status, OutboxMessage.error, func.count())
            .where(OutboxMessage.broadcast_id == broadcast.id)
            .group_by(OutboxMessage.status, OutboxMessage.error)
        )
        for status, error, count in (await session.execute(by_status)).all():
            counts[(status, error)] = counts.get((status, error), 0) + count

        not_added = max(broadcast.total - broadcast.fanned_out, 0)
        stopped = counts.get(("dropped", STOPPED), 0)
        if broadcast.status == "stopped":
            stopped += not_added  # never added: the organizer stopped before their turn
            counts[("dropped", STOPPED)] = stopped
        reasons = sorted(
            ((error or "?", n) for (s, error), n in counts.items() if s == "failed"),
            key=lambda item: -item[1],
        )
        views.append(
            ProgressView(
                broadcast_id=broadcast.id,
                chat_id=broadcast.progress_chat_id or 0,
                message_id=broadcast.progress_message_id or 0,
                locale=language or "ky",
                status=broadcast.status,
                total=broadcast.total,
                sent=_total(counts, "sent"),
                blocked=_total(counts, "dropped") - stopped,
                failed=_total(counts, "failed"),
                stopped=stopped,
                waiting=sum(_total(counts, s) for s in ("pending", "sending", "inflight"))
                + (not_added if broadcast.status == "sending" else 0),
                started_at=broadcast.created_at,
                last_text=broadcast.progress_text,
                failure_reasons=reasons[:3],
            )
        )
    return views


async def progress_shown(
    session: AsyncSession, broadcast_id: int, text: str, finished: bool
) -> None:
    values: dict[str, Any] = {"progress_text": text}
    if finished:
        values["finished_at"] = utcnow()
    broadcast = await session.get(Broadcast, broadcast_id)
    if broadcast is not None and finished and broadcast.status == "sending":
        values["status"] = "done"
    await session.execute(update(Broadcast).where(Broadcast.id == broadcast_id).values(**values))
    await session.commit()


async def compact(session: AsyncSession, older_than: datetime) -> int:
    """Deletes the outbox rows of announcements finished before `older_than`, keeping their
    figures (by status and reason) on the announcement; returns how many rows went."""
    finished = select(Broadcast).where(
        Broadcast.finished_at.is_not(None), Broadcast.finished_at < older_than
    )
    deleted = 0
    for broadcast in await session.scalars(finished):
        by_status = (
            select(OutboxMessage.status, OutboxMessage.error, func.count())
            .where(OutboxMessage.broadcast_id == broadcast.id)
            .group_by(OutboxMessage.status, OutboxMessage.error)
        )
        rows = (await session.execute(by_status)).all()
        if not rows:
            continue
        archived = dict(broadcast.archived_counts or {})
        for status, error, count in rows:
            key = f"{status}|{error or ''}"
            archived[key] = archived.get(key, 0) + count
            deleted += count
        broadcast.archived_counts = archived
        of_broadcast = OutboxMessage.broadcast_id == broadcast.id
        await session.execute(delete(OutboxMessage).where(of_broadcast))
    return deleted
