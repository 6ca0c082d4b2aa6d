"""broadcast content once: recipients fanned out in the background, old rows compacted

Revision ID: 0009_broadcast_content
Revises: 0008_leases
Create Date: 2026-12-01 22:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_broadcast_content"
down_revision: str | None = "0008_leases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("broadcasts") as batch:
        batch.add_column(sa.Column("fanout_after_user_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("fanned_out", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("archived_counts", sa.JSON(), nullable=False, server_default="{}")
        )


def downgrade() -> None:
    with op.batch_alter_table("broadcasts") as batch:
        batch.drop_column("archived_counts")
        batch.drop_column("fanned_out")
        batch.drop_column("fanout_after_user_id")
