"""journey fixes: id lists behind buttons (button_lists); search folds ё into е

Revision ID: 0010_journey_fixes
Revises: 0009_broadcast_content
Create Date: 2026-12-01 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.models

revision: str = "0010_journey_fixes"
down_revision: str | None = "0009_broadcast_content"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Russian writers use ё and е interchangeably: the index and the query both hold е. Only
# ё/Ё fold; Kyrgyz ң, ө, ү stay letters of their own.
FOLD_NEW = "replace(replace(new.text, 'ё', 'е'), 'Ё', 'Е')"
FOLD_OLD = "replace(replace(old.text, 'ё', 'е'), 'Ё', 'Е')"
SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS proposals_fts_update",
    "DROP TRIGGER IF EXISTS proposals_fts_delete",
    "DROP TRIGGER IF EXISTS proposals_fts_insert",
]


def _sqlite_triggers(new: str, old: str) -> list[str]:
    return [
        f"""CREATE TRIGGER proposals_fts_insert AFTER INSERT ON proposals BEGIN
            INSERT INTO proposals_fts(rowid, text) VALUES (new.id, {new}); END""",
        f"""CREATE TRIGGER proposals_fts_delete AFTER DELETE ON proposals BEGIN
            INSERT INTO proposals_fts(proposals_fts, rowid, text)
            VALUES ('delete', old.id, {old}); END""",
        f"""CREATE TRIGGER proposals_fts_update AFTER UPDATE OF text ON proposals BEGIN
            INSERT INTO proposals_fts(proposals_fts, rowid, text)
            VALUES ('delete', old.id, {old});
            INSERT INTO proposals_fts(rowid, text) VALUES (new.id, {new}); END""",
    ]


def upgrade() -> None:
    op.create_table(
        "button_lists",
        sa.Column("token", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", db.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_button_lists")),
    )
    op.create_index(op.f("ix_button_lists_created_at"), "button_lists", ["created_at"])
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_TRIGGERS + _sqlite_triggers(FOLD_NEW, FOLD_OLD):
            op.execute(statement)
        op.execute("INSERT INTO proposals_fts(proposals_fts) VALUES ('delete-all')")
        op.execute(
            "INSERT INTO proposals_fts(rowid, text) "
            "SELECT id, replace(replace(text, 'ё', 'е'), 'Ё', 'Е') FROM proposals"
        )
    else:
        op.execute("DROP INDEX IF EXISTS ix_proposals_text_search")
        op.execute(
            "CREATE INDEX ix_proposals_text_search ON proposals "
            "USING gin (to_tsvector('simple', translate(text, 'ёЁ', 'еЕ')))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_TRIGGERS + _sqlite_triggers("new.text", "old.text"):
            op.execute(statement)
        op.execute("INSERT INTO proposals_fts(proposals_fts) VALUES ('rebuild')")
    else:
        op.execute("DROP INDEX IF EXISTS ix_proposals_text_search")
        op.execute(
            "CREATE INDEX ix_proposals_text_search ON proposals "
            "USING gin (to_tsvector('simple', text))"
        )
    op.drop_index(op.f("ix_button_lists_created_at"), table_name="button_lists")
    op.drop_table("button_lists")
