"""Polls in the hall and surveys after an event (issue 19); db/models.py re-exports them."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow


class Poll(Base):
    """An organizer's poll: question and options in both languages (one language may be
    empty: the other is sent), its audience, and the live results message."""

    __tablename__ = "polls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    question_ky: Mapped[str | None] = mapped_column(String(300))
    question_ru: Mapped[str | None] = mapped_column(String(300))
    # [{"ky": "...", "ru": "..."}, ...] in the order shown; a "rank the proposals" poll also
    # carries "proposal_id".
    options: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    allows_multiple: Mapped[bool] = mapped_column(Boolean, default=False)
    # Anonymous: organizers see counts only, never who chose what (Telegram's poll itself is
    # never anonymous, or the bot would not hear the answers).
    is_anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    kind: Mapped[str] = mapped_column(String(16), default="question")  # question/rank
    part: Mapped[int] = mapped_column(Integer, default=1)  # a rank poll paged into parts
    parts: Mapped[int] = mapped_column(Integer, default=1)
    audience: Mapped[dict[str, Any]] = mapped_column(default=dict)
    total: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open/closed
    results_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    results_message_id: Mapped[int | None] = mapped_column(BigInteger)
    results_text: Mapped[str | None] = mapped_column(Text)
    results_shown_at: Mapped[datetime | None]
    shared_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    def question(self, locale: str | None) -> str:
        preferred = self.question_ky if locale == "ky" else self.question_ru
        return preferred or self.question_ru or self.question_ky or ""

    def option_texts(self, locale: str | None) -> list[str]:
        other = "ru" if locale == "ky" else "ky"
        return [o.get(locale or "ky") or o.get(other) or "" for o in self.options]


class PollCopy(Base):
    """One person's copy of a poll as Telegram sent it: its poll id maps the poll_answer
    updates back to our poll (and the language it was sent in)."""

    __tablename__ = "poll_copies"
    __table_args__ = (Index("uq_poll_copies_poll_user", "poll_id", "user_id", unique=True),)

    telegram_poll_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    stopped_at: Mapped[datetime | None]


class PollAnswer(Base):
    """A person's current answer: the option indexes; [] once they retracted it."""

    __tablename__ = "poll_answers"

    poll_id: Mapped[int] = mapped_column(
        ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    option_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
    retracted_at: Mapped[datetime | None]


class EventSurvey(Base):
    """Marks that an event's survey went out (the sweep's once-only guard)."""

    __tablename__ = "event_surveys"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    recipients: Mapped[int] = mapped_column(Integer, default=0)


class SurveyResponse(Base):
    """One participant's survey after an event: asked, reminded, answered or skipped."""

    __tablename__ = "survey_responses"
    __table_args__ = (Index("ix_survey_responses_reminder", "reminded_at", "asked_at"),)

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    reminded_at: Mapped[datetime | None]
    rating: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
    skipped_at: Mapped[datetime | None]
