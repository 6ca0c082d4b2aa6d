"""public site: indexes for keyset pages of published proposals and the data version

Revision ID: 0015_public_site
Revises: 0014_polls
Create Date: 2026-12-01 22:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015_public_site"
down_revision: str | None = "0014_polls"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Newest first within a region, a topic or both (id follows creation), and the latest change (the pages' Last-Modified).
INDEXES = {
    "ix_proposals_region_id": ["region_code", "id"],
    "ix_proposals_topic_id": ["topic_code", "id"],
    "ix_proposals_region_topic_id": ["region_code", "topic_code", "id"],
    "ix_proposals_updated_at": ["updated_at"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "proposals", columns)
    # The latest vote on an answer, for the same Last-Modified.
    op.create_index(
        "ix_answer_satisfaction_created_at", "answer_satisfaction", ["created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_answer_satisfaction_created_at", table_name="answer_satisfaction")
    for name in INDEXES:
        op.drop_index(name, table_name="proposals")
