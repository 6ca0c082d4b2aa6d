"""What is sent outside a reply and the jobs that send it: the outbox, announcements, leases."""

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow


class OutboxMessage(Base):
    """A message that is not a direct reply: written in the transaction that causes it,
    rendered in the recipient's language and sent by bot/delivery.py."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    # Name of a registered notice renderer (bot/notices.py) and its parameters.
    template: Mapped[str] = mapped_column(String(60))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Optional attachment: a Telegram file_id or a path under the data directory.
    attachment_kind: Mapped[str | None] = mapped_column(String(16))  # "photo" or "document"
    attachment_ref: Mapped[str | None] = mapped_column(Text)
    # Makes "send exactly once" a constraint, not a hope: reminders use a deterministic key.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    # Announcements and bypassing the person's opt-out are decided by the enqueuer.
    broadcast_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # pending → sending → sent; or failed (permanent error, or out of attempts); or dropped
    # (the person blocked the bot, or the organizer stopped the broadcast).
    status: Mapped[str] = mapped_column(String(16), default="pending")
    claimed_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Broadcast(Base):
    """An organizer's announcement: its texts, audience, and the progress view."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text_ky: Mapped[str | None] = mapped_column(Text)
    text_ru: Mapped[str | None] = mapped_column(Text)
    attachment_kind: Mapped[str | None] = mapped_column(String(16))  # "photo" or "document"
    attachment_ref: Mapped[str | None] = mapped_column(Text)  # a Telegram file_id
    audience: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default="sending")  # sending/stopped/done
    total: Mapped[int] = mapped_column(Integer, default=0)
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    # The content is stored here once; each recipient's outbox row points to it. Recipients
    # are added in the background in chunks, in the order of user ids: the last one added
    # (None once all are), and how many rows were added.
    fanout_after_user_id: Mapped[int | None] = mapped_column(Integer)
    fanned_out: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Figures of outbox rows deleted by compaction: {"status|error": count}.
    archived_counts: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")


class Lease(Base):
    """A named job that one process at a time may run (a sweep, the announcements' progress
    loop): whoever holds an unexpired lease runs it; a dead holder's lease simply runs out."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime] = mapped_column()
