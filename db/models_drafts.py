"""Public discussion of a draft (bot/services/drafts): clauses, comments, supports."""

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow


class Draft(Base):
    """A draft (concept, programme, law) published for comments clause by clause over a
    period. "pending" until the organizer confirms its outline, then "published"."""

    __tablename__ = "drafts"
    __table_args__ = (Index("ix_drafts_status_closes", "status", "closes_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title_ky: Mapped[str | None] = mapped_column(String(300))
    title_ru: Mapped[str | None] = mapped_column(String(300))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending/published
    # The language of the uploaded text that defines the structure: "ky" or "ru".
    primary_language: Mapped[str] = mapped_column(String(8), default="ky")
    has_headings: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def title(self, locale: str | None) -> str:
        preferred = self.title_ky if locale == "ky" else self.title_ru
        return preferred or self.title_ru or self.title_ky or ""


class DraftClause(Base):
    """One clause in reading order (`position`), with its chapter and section headings; the
    text in the draft's languages (one may be missing). `comment_count` is kept by the
    services so the outline and "most discussed" need no count over comments."""

    __tablename__ = "draft_clauses"
    __table_args__ = (
        UniqueConstraint("draft_id", "position"),
        Index("ix_draft_clauses_draft_chapter", "draft_id", "chapter", "position", "comment_count"),
        Index("ix_draft_clauses_draft_comments", "draft_id", "comment_count"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    chapter: Mapped[int] = mapped_column(Integer)  # 1-based ordinal of the chapter
    chapter_title_ky: Mapped[str | None] = mapped_column(Text)
    chapter_title_ru: Mapped[str | None] = mapped_column(Text)
    section_title_ky: Mapped[str | None] = mapped_column(Text)
    section_title_ru: Mapped[str | None] = mapped_column(Text)
    number: Mapped[str] = mapped_column(String(40))
    text_ky: Mapped[str | None] = mapped_column(Text)
    text_ru: Mapped[str | None] = mapped_column(Text)
    comment_count: Mapped[int] = mapped_column(Integer, default=0)

    def text(self, locale: str | None) -> str:
        preferred = self.text_ky if locale == "ky" else self.text_ru
        return preferred or self.text_ru or self.text_ky or ""

    def chapter_title(self, locale: str | None) -> str:
        preferred = self.chapter_title_ky if locale == "ky" else self.chapter_title_ru
        return preferred or self.chapter_title_ru or self.chapter_title_ky or ""

    def section_title(self, locale: str | None) -> str:
        preferred = self.section_title_ky if locale == "ky" else self.section_title_ru
        return preferred or self.section_title_ru or self.section_title_ky or ""


class DraftComment(Base):
    """A comment on a clause, or a proposed wording with its reason, and the drafters'
    decision. Region, country and category are the author's at the time of writing."""

    __tablename__ = "draft_comments"
    __table_args__ = (Index("ix_draft_comments_draft_clause", "draft_id", "clause_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"))
    clause_id: Mapped[int] = mapped_column(ForeignKey("draft_clauses.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "comment" or "wording"
    text: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    show_name: Mapped[bool] = mapped_column(Boolean, default=False)
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    country_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"))
    country_other: Mapped[str | None] = mapped_column(String(100))
    category_code: Mapped[str | None] = mapped_column(ForeignKey("stakeholder_categories.code"))
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    decision: Mapped[str | None] = mapped_column(String(16))  # accepted/partly/rejected
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DraftCommentSupport(Base):
    __tablename__ = "draft_comment_supports"

    comment_id: Mapped[int] = mapped_column(
        ForeignKey("draft_comments.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
