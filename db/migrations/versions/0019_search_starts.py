"""search starts: PostgreSQL keeps every start of every word, so a query word is one entry

Revision ID: 0019_search_starts
Revises: 0018_event_revision
Create Date: 2026-12-04 03:30:00
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0019_search_starts"
down_revision: str | None = "0018_event_revision"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A prefix query (болуп:*) makes the GIN index gather the proposals of every word the
# prefix starts into one bitmap before the first match (болуп 215,360 proposals of a
# million, арт 92,154). With every start of every word stored (болуп: б, бо, бол, болу,
# болуп) a query word is one exact entry, and GIN intersects two entries without
# gathering either: болуп арт 117 ms -> 28, the index's part 81 -> 13. Costs room: the
# table and index at a million, 2.0 GB -> 3.6 GB. Starts stop at 32 letters
# (bot/services/proposals/search.py, LONGEST_START) so a very long token cannot outgrow
# a tsvector; a longer query word is cut to its first 32 letters.
WORD_STARTS = """
CREATE FUNCTION word_starts(document text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_to_tsvector(array_agg(left(word, n))), ''::tsvector)
    FROM unnest(tsvector_to_array(to_tsvector('simple', translate(document, 'ёЁ', 'еЕ'))))
        AS word,
        generate_series(1, least(char_length(word), 32)) AS n
$$
"""
OLD_VECTOR = "to_tsvector('simple', translate(text, 'ёЁ', 'еЕ'))"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(WORD_STARTS)
    # About 170 starts a proposal, 2.7 kB: kept in the row (MAIN), compressed with lz4
    # where the server has it, because a walk through the table checks each row's value,
    # and fetching it from the TOAST table made a common word's walk 7 ms -> 88 ms.
    lz4 = bind.scalar(
        text(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
            "WHERE name = 'default_toast_compression'"
        )
    )
    compression = ", ALTER COLUMN search_starts SET COMPRESSION lz4" if lz4 else ""
    # One statement, one rewrite of the table; the old column's index goes with it.
    op.execute(
        "ALTER TABLE proposals DROP COLUMN search_vector, "
        "ADD COLUMN search_starts tsvector GENERATED ALWAYS AS (word_starts(text)) STORED, "
        f"ALTER COLUMN search_starts SET STORAGE MAIN{compression}"
    )
    op.execute("CREATE INDEX ix_proposals_search_starts ON proposals USING gin (search_starts)")
    # The planner's word frequencies for the new column now, not at autovacuum's next pass.
    op.execute("ANALYZE proposals")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "ALTER TABLE proposals DROP COLUMN search_starts, "
        f"ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({OLD_VECTOR}) STORED"
    )
    op.execute("CREATE INDEX ix_proposals_search_vector ON proposals USING gin (search_vector)")
    op.execute("DROP FUNCTION word_starts(text)")
