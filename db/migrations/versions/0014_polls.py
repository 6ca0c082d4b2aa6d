"""polls and post-event surveys

Revision ID: 0014_polls
Revises: 0013_drafts
Create Date: 2026-12-01 22:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.models

revision: str = "0014_polls"
down_revision: str | None = "0013_drafts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = db.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "polls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("question_ky", sa.String(length=300), nullable=True),
        sa.Column("question_ru", sa.String(length=300), nullable=True),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("allows_multiple", sa.Boolean(), nullable=False),
        sa.Column("is_anonymous", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("parts", sa.Integer(), nullable=False),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("results_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("results_message_id", sa.BigInteger(), nullable=True),
        sa.Column("results_text", sa.Text(), nullable=True),
        sa.Column("results_shown_at", UTC, nullable=True),
        sa.Column("shared_at", UTC, nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("closed_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_polls_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_polls_event_id_events"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_polls")),
    )
    op.create_table(
        "poll_copies",
        sa.Column("telegram_poll_id", sa.String(length=64), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("stopped_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["poll_id"], ["polls.id"], name=op.f("fk_poll_copies_poll_id_polls"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_poll_copies_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("telegram_poll_id", name=op.f("pk_poll_copies")),
    )
    op.create_index("uq_poll_copies_poll_user", "poll_copies", ["poll_id", "user_id"], unique=True)
    op.create_table(
        "poll_answers",
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("option_ids", sa.JSON(), nullable=False),
        sa.Column("answered_at", UTC, nullable=False),
        sa.Column("retracted_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["poll_id"], ["polls.id"], name=op.f("fk_poll_answers_poll_id_polls"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_poll_answers_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("poll_id", "user_id", name=op.f("pk_poll_answers")),
    )
    op.create_index(op.f("ix_poll_answers_user_id"), "poll_answers", ["user_id"], unique=False)
    op.create_table(
        "event_surveys",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", UTC, nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_surveys_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_event_surveys")),
    )
    op.create_table(
        "survey_responses",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("asked_at", UTC, nullable=False),
        sa.Column("reminded_at", UTC, nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("answered_at", UTC, nullable=True),
        sa.Column("skipped_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_survey_responses_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_survey_responses_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "user_id", name=op.f("pk_survey_responses")),
    )
    op.create_index(
        "ix_survey_responses_reminder", "survey_responses", ["reminded_at", "asked_at"], unique=False
    )
    op.create_index(
        op.f("ix_survey_responses_user_id"), "survey_responses", ["user_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_survey_responses_user_id"), table_name="survey_responses")
    op.drop_index("ix_survey_responses_reminder", table_name="survey_responses")
    op.drop_table("survey_responses")
    op.drop_table("event_surveys")
    op.drop_index(op.f("ix_poll_answers_user_id"), table_name="poll_answers")
    op.drop_table("poll_answers")
    op.drop_index("uq_poll_copies_poll_user", table_name="poll_copies")
    op.drop_table("poll_copies")
    op.drop_table("polls")
