"""search vector: PostgreSQL keeps each proposal's words in a stored tsvector column

Revision ID: 0017_search_vector
Revises: 0016_search_prefixes
Create Date: 2026-12-02 17:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017_search_vector"
down_revision: str | None = "0016_search_prefixes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The GIN index of 0010_journey_fixes is on an expression: the index finds the rows, but
# every row PostgreSQL then checks (a recheck, a walk newest first, the capped count)
# computes to_tsvector from the text again, about 47 µs a proposal. A stored column holds
# the words (ё as е, as SQLite's triggers fold them) and the index is on it: a check reads
# a value. Not in the model (SQLite has no tsvector): env.py's HAND_MADE keeps
# autogenerate away from it. Adding it rewrites the table.
VECTOR = "to_tsvector('simple', translate(text, 'ёЁ', 'еЕ'))"
OLD_INDEX = f"CREATE INDEX ix_proposals_text_search ON proposals USING gin ({VECTOR})"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # Dropped first: the rewrite would otherwise rebuild it for nothing.
    op.execute("DROP INDEX IF EXISTS ix_proposals_text_search")
    op.execute(
        f"ALTER TABLE proposals ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({VECTOR}) STORED"
    )
    op.execute("CREATE INDEX ix_proposals_search_vector ON proposals USING gin (search_vector)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_proposals_search_vector")
    op.execute("ALTER TABLE proposals DROP COLUMN IF EXISTS search_vector")
    op.execute(OLD_INDEX)
