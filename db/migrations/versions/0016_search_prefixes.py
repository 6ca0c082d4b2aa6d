"""search prefixes: the FTS5 table keeps prefix indexes, for /search by the start of a word

Revision ID: 0016_search_prefixes
Revises: 0015_public_site
Create Date: 2026-12-02 16:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016_search_prefixes"
down_revision: str | None = "0015_public_site"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A prefix query ("ab"*) without a prefix index of its length gathers the proposals of
# every indexed word that starts with it, all of them, before the first match: at a
# million proposals "ка"* took a third of a second, and "жана"* (and, in three proposals
# of four) a tenth. A prefix index holds those lists ready, read newest first and only as
# far as a page. Lengths 2 to 4 (the index grows from 82 to 297 MB at a million): longer
# words match fewer proposals (lengths 5 and 6 took 130 MB more for little: the words
# people search that gather most are longer still).
# Otherwise the table is the one of 0005_proposals: unicode61 folds the case of every
# Cyrillic letter; remove_diacritics 0 keeps ө and о, ү and у distinct letters.
PREFIXES = "2 3 4"
FTS_OPTIONS = (
    "text, content='proposals', content_rowid='id', tokenize=\"unicode61 remove_diacritics 0\""
)

# The index holds ё as е (0010_journey_fixes): the triggers fold, and so does the refill.
FOLD_NEW = "replace(replace(new.text, 'ё', 'е'), 'Ё', 'Е')"
FOLD_OLD = "replace(replace(old.text, 'ё', 'е'), 'Ё', 'Е')"
TRIGGERS = [
    f"""CREATE TRIGGER proposals_fts_insert AFTER INSERT ON proposals BEGIN
        INSERT INTO proposals_fts(rowid, text) VALUES (new.id, {FOLD_NEW}); END""",
    f"""CREATE TRIGGER proposals_fts_delete AFTER DELETE ON proposals BEGIN
        INSERT INTO proposals_fts(proposals_fts, rowid, text)
        VALUES ('delete', old.id, {FOLD_OLD}); END""",
    f"""CREATE TRIGGER proposals_fts_update AFTER UPDATE OF text ON proposals BEGIN
        INSERT INTO proposals_fts(proposals_fts, rowid, text)
        VALUES ('delete', old.id, {FOLD_OLD});
        INSERT INTO proposals_fts(rowid, text) VALUES (new.id, {FOLD_NEW}); END""",
]
DROP = [
    "DROP TRIGGER IF EXISTS proposals_fts_update",
    "DROP TRIGGER IF EXISTS proposals_fts_delete",
    "DROP TRIGGER IF EXISTS proposals_fts_insert",
    "DROP TABLE IF EXISTS proposals_fts",
]
REFILL = [
    "INSERT INTO proposals_fts(rowid, text) "
    "SELECT id, replace(replace(text, 'ё', 'е'), 'Ё', 'Е') FROM proposals",
    # One b-tree instead of the segments the refill leaves: each query reads one.
    "INSERT INTO proposals_fts(proposals_fts) VALUES ('optimize')",
]


def _recreate(options: str) -> None:
    for statement in DROP:
        op.execute(statement)
    op.execute(f"CREATE VIRTUAL TABLE proposals_fts USING fts5({options})")
    for statement in TRIGGERS + REFILL:
        op.execute(statement)


def upgrade() -> None:
    # PostgreSQL's GIN index already answers 'ab:*' from its sorted words.
    if op.get_bind().dialect.name == "sqlite":
        _recreate(f"{FTS_OPTIONS}, prefix='{PREFIXES}'")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _recreate(FTS_OPTIONS)
