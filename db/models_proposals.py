"""Participants' proposals, their status history and who supports them."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow


class Proposal(Base):
    """A participant's proposal; its status follows the lifecycle in DOMAIN.md."""

    __tablename__ = "proposals"
    __table_args__ = (
        Index("ix_proposals_status_created", "status", "created_at"),
        Index("ix_proposals_region_topic_support", "region_code", "topic_code", "support_count"),
        # Every proposals screen walks one of these in its order (0012_perf_indexes).
        Index("ix_proposals_created", "created_at", "id"),
        Index("ix_proposals_support", "support_count", "id"),
        Index("ix_proposals_region_created", "region_code", "created_at", "id"),
        Index("ix_proposals_region_support", "region_code", "support_count", "id"),
        Index("ix_proposals_topic_created", "topic_code", "created_at", "id"),
        Index("ix_proposals_topic_support", "topic_code", "support_count", "id"),
        Index("ix_proposals_region_topic_created", "region_code", "topic_code", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Kept after /deleteme (the person's row stays with no personal data), so "unattributed".
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)
    topic_code: Mapped[str] = mapped_column(ForeignKey("topics.code"))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    text: Mapped[str] = mapped_column(Text)
    is_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    attachment_kind: Mapped[str | None] = mapped_column(String(16))  # "photo" or "document"
    attachment_file_id: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(24), default="submitted")
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ProposalStatusChange(Base):
    """The proposal's history: every status it went through, with who and why."""

    __tablename__ = "proposal_status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(24))
    note: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProposalSupport(Base):
    __tablename__ = "proposal_supports"

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# The public site's pages of published proposals (migration 0015_public_site).
Index("ix_proposals_region_id", Proposal.region_code, Proposal.id)
Index("ix_proposals_topic_id", Proposal.topic_code, Proposal.id)
Index("ix_proposals_region_topic_id", Proposal.region_code, Proposal.topic_code, Proposal.id)
Index("ix_proposals_updated_at", Proposal.updated_at)
