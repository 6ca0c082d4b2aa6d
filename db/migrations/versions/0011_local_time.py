"""local time abroad and agencies' short names

A person's own time zone (users.time_zone), and a short name of each agency for buttons and
lists (agencies.short_name_ky / short_name_ru), filled for the starter directory.

Revision ID: 0011_local_time
Revises: 0010_journey_fixes
Create Date: 2026-12-01 22:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_local_time"
down_revision: str | None = "0010_journey_fixes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A copy, not an import: a migration must not change when the reference data does.
SHORT_NAMES = {
    "minec": ("Экономика министрлиги", "Минэкономики"),
    "minedu": ("Билим берүү министрлиги", "Минобрнауки"),
    "kyrgyzpatent": ("Кыргызпатент", "Кыргызпатент"),
    "minagro": ("Айыл чарба министрлиги", "Минсельхоз"),
    "minenergy": ("Энергетика министрлиги", "Минэнерго"),
    "mintrans": ("Транспорт министрлиги", "Минтранс"),
    "minlabor": ("Эмгек министрлиги", "Минтруда"),
    "mfa": ("Тышкы иштер министрлиги", "МИД"),
    "mineco": ("Жаратылыш ресурстары министрлиги", "Минприроды"),
    "minculture": ("Маданият министрлиги", "Минкультуры"),
}


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))
    with op.batch_alter_table("agencies") as batch:
        batch.add_column(sa.Column("short_name_ky", sa.String(length=60), nullable=True))
        batch.add_column(sa.Column("short_name_ru", sa.String(length=60), nullable=True))
    agencies = sa.table(
        "agencies",
        sa.column("code", sa.String),
        sa.column("short_name_ky", sa.String),
        sa.column("short_name_ru", sa.String),
    )
    for code, (short_ky, short_ru) in SHORT_NAMES.items():
        op.execute(
            agencies.update()
            .where(agencies.c.code == code)
            .values(short_name_ky=short_ky, short_name_ru=short_ru)
        )


def downgrade() -> None:
    with op.batch_alter_table("agencies") as batch:
        batch.drop_column("short_name_ru")
        batch.drop_column("short_name_ky")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("time_zone")
