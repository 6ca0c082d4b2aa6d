"""Events, their topics, people's registrations and the published summaries."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, literal_column
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow


class Event(Base):
    """A dialogue, forum, open platform, round table, hearing or session."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_status_starts", "status", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind_code: Mapped[str] = mapped_column(ForeignKey("event_kinds.code"))
    # Organizers write content in both languages; one may be empty (the other is shown).
    title_ky: Mapped[str | None] = mapped_column(String(200))
    title_ru: Mapped[str | None] = mapped_column(String(200))
    description_ky: Mapped[str | None] = mapped_column(Text)
    description_ru: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    format: Mapped[str] = mapped_column(String(16), default="in_person")  # in_person/online/hybrid
    venue: Mapped[str | None] = mapped_column(String(300))
    online_url: Mapped[str | None] = mapped_column(String(500))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    capacity: Mapped[int | None] = mapped_column(Integer)
    registration_deadline: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft/published/cancelled
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Grows by one with every UPDATE of the row (the ORM's and bulk ones alike): the
    # calendar file's SEQUENCE, which must grow even for two changes in one second.
    revision: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", onupdate=literal_column("revision + 1")
    )

    def title(self, locale: str | None) -> str:
        preferred = self.title_ky if locale == "ky" else self.title_ru
        return preferred or self.title_ru or self.title_ky or ""

    def description(self, locale: str | None) -> str:
        preferred = self.description_ky if locale == "ky" else self.description_ru
        return preferred or self.description_ru or self.description_ky or ""


class EventTopic(Base):
    __tablename__ = "event_topics"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    topic_code: Mapped[str] = mapped_column(ForeignKey("topics.code"), primary_key=True)


class Registration(Base):
    """A person's place at an event: registered, on the waiting list, or cancelled.

    The waiting list is ordered by `queued_at` (then id); `code` is shown at the door and checked
    by an organizer, which sets `attended_at`. The reminder columns say which reminders were
    queued already (the outbox dedupe key makes them exactly-once as well)."""

    __tablename__ = "registrations"
    __table_args__ = (
        Index("ix_registrations_event_status_queued", "event_id", "status", "queued_at"),
        Index("uq_registrations_event_user", "event_id", "user_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # registered/waiting/cancelled
    code: Mapped[str] = mapped_column(String(12), unique=True)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    attended_at: Mapped[datetime | None]
    reminded_24h_at: Mapped[datetime | None]
    reminded_1h_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class EventSummary(Base):
    """What came of an event, published for its participants: text in both languages (one may
    be empty) and/or a PDF or DOCX file kept as a Telegram file_id."""

    __tablename__ = "event_summaries"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    text_ky: Mapped[str | None] = mapped_column(Text)
    text_ru: Mapped[str | None] = mapped_column(Text)
    file_id: Mapped[str | None] = mapped_column(String(300))
    file_name: Mapped[str | None] = mapped_column(String(200))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    def text(self, locale: str) -> str:
        """The text in `locale`, or the other language's when that one is empty."""
        own, other = (
            (self.text_ky, self.text_ru) if locale == "ky" else (self.text_ru, self.text_ky)
        )
        return own or other or ""
