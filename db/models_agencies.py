"""Agencies answering forwarded proposals: routes, holidays, representatives, answers."""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow


class Agency(Base):
    """A responsible state body that answers the proposals forwarded to it."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_ky: Mapped[str] = mapped_column(String(300))
    name_ru: Mapped[str] = mapped_column(String(300))
    answer_days: Mapped[int] = mapped_column(Integer, default=14)
    working_days: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Short enough for a button or a list line ("Минобрнауки"); the full name when empty.
    short_name_ky: Mapped[str | None] = mapped_column(String(60))
    short_name_ru: Mapped[str | None] = mapped_column(String(60))

    def name(self, locale: str | None) -> str:
        return self.name_ky if locale == "ky" else self.name_ru

    def short_name(self, locale: str | None) -> str:
        short = self.short_name_ky if locale == "ky" else self.short_name_ru
        return short or self.name(locale)


class TopicRoute(Base):
    """Which agency answers a topic by default; organizers edit it."""

    __tablename__ = "topic_routes"

    topic_code: Mapped[str] = mapped_column(ForeignKey("topics.code"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))


class Holiday(Base):
    """Public holidays skipped when an agency counts its answer time in working days."""

    __tablename__ = "holidays"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name_ky: Mapped[str] = mapped_column(String(200), default="")
    name_ru: Mapped[str] = mapped_column(String(200), default="")


class AgencyRepresentative(Base):
    __tablename__ = "agency_representatives"
    __table_args__ = (UniqueConstraint("agency_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgencyInvitation(Base):
    """A one-time link; only the SHA-256 of its token is stored."""

    __tablename__ = "agency_invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Forwarding(Base):
    """A proposal sent to an agency. Open while answered_at and returned_at are both empty;
    the sweeps look only at next_reminder_at / escalate_at (NULL once nothing is left to send)."""

    __tablename__ = "forwardings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    forwarded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    forwarded_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime]
    next_reminder_at: Mapped[datetime | None] = mapped_column(index=True)
    escalate_at: Mapped[datetime | None] = mapped_column(index=True)
    extended_at: Mapped[datetime | None]
    extension_reason: Mapped[str | None] = mapped_column(Text)
    returned_at: Mapped[datetime | None]
    return_reason: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(24))


class AgencyAnswer(Base):
    __tablename__ = "agency_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    forwarding_id: Mapped[int] = mapped_column(
        ForeignKey("forwardings.id", ondelete="CASCADE"), unique=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    document_file_id: Mapped[str | None] = mapped_column(String(300))
    outcome: Mapped[str] = mapped_column(String(24))
    next_update_on: Mapped[date | None] = mapped_column(Date)
    # When to ask the proposal's author "Did this answer your proposal?"; NULL once asked.
    satisfaction_ask_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnswerSatisfaction(Base):
    __tablename__ = "answer_satisfaction"

    answer_id: Mapped[int] = mapped_column(
        ForeignKey("agency_answers.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    satisfied: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# The public site's answer figures (migration 0015_public_site).
Index("ix_answer_satisfaction_created_at", AnswerSatisfaction.created_at)
