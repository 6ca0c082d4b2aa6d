"""proposal search: FTS5 on SQLite, a GIN text-search index on PostgreSQL

Revision ID: 0005_proposals
Revises: 0004_events
Create Date: 2026-11-23 02:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005_proposals"
down_revision: str | None = "0004_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# unicode61 folds the case of every Cyrillic letter (Ө/ө, Ү/ү, Ң/ң); remove_diacritics 0
# keeps ө and о, ү and у distinct letters, as they are in Kyrgyz.
SQLITE_UP = [
    """CREATE VIRTUAL TABLE proposals_fts USING fts5(
        text, content='proposals', content_rowid='id',
        tokenize="unicode61 remove_diacritics 0")""",
    """CREATE TRIGGER proposals_fts_insert AFTER INSERT ON proposals BEGIN
        INSERT INTO proposals_fts(rowid, text) VALUES (new.id, new.text); END""",
    """CREATE TRIGGER proposals_fts_delete AFTER DELETE ON proposals BEGIN
        INSERT INTO proposals_fts(proposals_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END""",
    """CREATE TRIGGER proposals_fts_update AFTER UPDATE OF text ON proposals BEGIN
        INSERT INTO proposals_fts(proposals_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO proposals_fts(rowid, text) VALUES (new.id, new.text); END""",
    "INSERT INTO proposals_fts(proposals_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS proposals_fts_update",
    "DROP TRIGGER IF EXISTS proposals_fts_delete",
    "DROP TRIGGER IF EXISTS proposals_fts_insert",
    "DROP TABLE IF EXISTS proposals_fts",
]
POSTGRES_UP = [
    "CREATE INDEX ix_proposals_text_search ON proposals "
    "USING gin (to_tsvector('simple', text))",
    "CREATE INDEX ix_proposals_author_created ON proposals (author_id, created_at)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_proposals_author_created",
    "DROP INDEX IF EXISTS ix_proposals_text_search",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)
        op.execute("CREATE INDEX ix_proposals_author_created ON proposals (author_id, created_at)")
    else:
        for statement in POSTGRES_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP INDEX IF EXISTS ix_proposals_author_created")
        for statement in SQLITE_DOWN:
            op.execute(statement)
    else:
        for statement in POSTGRES_DOWN:
            op.execute(statement)
