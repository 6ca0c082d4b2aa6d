"""Brings the database to the newest schema: the bot does this on every start."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any fixed number: the PostgreSQL advisory lock taken while one process migrates and seeds.
SCHEMA_LOCK_KEY = 4_172_025_001


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


async def upgrade_to_head(engine: AsyncEngine) -> None:
    await upgrade_to(engine, "head")


async def upgrade_to(engine: AsyncEngine, revision: str) -> None:
    await _run(engine, lambda cfg: command.upgrade(cfg, revision))


async def downgrade_to_base(engine: AsyncEngine) -> None:
    await _run(engine, lambda cfg: command.downgrade(cfg, "base"))


async def _run(engine: AsyncEngine, action) -> None:  # type: ignore[no-untyped-def]
    async with engine.connect() as connection:
        await connection.run_sync(lambda sync_conn: action(alembic_config(sync_conn)))
        await connection.commit()


@asynccontextmanager
async def schema_lock(engine: AsyncEngine) -> AsyncIterator[None]:
    """Several processes starting at once on PostgreSQL migrate and seed one after another;
    the later ones find the work done. (SQLite serves one process.)"""
    if engine.dialect.name != "postgresql":
        yield
        return
    async with engine.connect() as connection:
        await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        await connection.commit()
        try:
            yield
        finally:
            await connection.execute(
                text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEMA_LOCK_KEY}
            )
            await connection.commit()
