"""indexes for every proposals screen: each sort, with and without region and topic

Revision ID: 0012_perf_indexes
Revises: 0011_local_time
Create Date: 2026-12-01 23:05:00

Each screen walks one index in its order and stops after a page (and after the capped
count), instead of sorting every public proposal: (created_at, id) and (support_count, id),
alone and after the region, the topic, or both. The id in each key orders ties as the
query does, so PostgreSQL needs no sort step either.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012_perf_indexes"
down_revision: str | None = "0011_local_time"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_proposals_created": ["created_at", "id"],
    "ix_proposals_support": ["support_count", "id"],
    "ix_proposals_region_created": ["region_code", "created_at", "id"],
    "ix_proposals_region_support": ["region_code", "support_count", "id"],
    "ix_proposals_topic_created": ["topic_code", "created_at", "id"],
    "ix_proposals_topic_support": ["topic_code", "support_count", "id"],
    "ix_proposals_region_topic_created": ["region_code", "topic_code", "created_at", "id"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "proposals", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="proposals")
