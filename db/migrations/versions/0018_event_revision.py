"""events: a revision that grows with every change (the calendar file's SEQUENCE)

SEQUENCE was the second of the last change, so two changes within one second sent two
calendar files with the same SEQUENCE and calendars kept the older entry. Existing events
start above any SEQUENCE already sent (that second, plus a day for the zone of the machine
that computed it); new events start at 0.

Revision ID: 0018_event_revision
Revises: 0017_search_vector
Create Date: 2026-12-03 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_event_revision"
down_revision: str | None = "0017_search_vector"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DAY = 86_400


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))
    if op.get_bind().dialect.name == "postgresql":
        seconds = "CAST(EXTRACT(EPOCH FROM updated_at) AS INTEGER)"
    else:
        seconds = "CAST(strftime('%s', updated_at) AS INTEGER)"
    op.execute(f"UPDATE events SET revision = {seconds} + {DAY} WHERE updated_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("revision")
