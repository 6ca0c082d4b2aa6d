"""Alembic environment. The bot passes an open connection (config.attributes["connection"]);
the alembic command line connects by itself from DATABASE_URL or alembic.ini."""

import asyncio
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from db.engine import create_engine
from db.models import Base

config = context.config
target_metadata = Base.metadata


# Search structures made by hand in migrations (FTS5 tables, expression indexes, and
# PostgreSQL's stored tsvector column with its index, 0019_search_starts: not in the model,
# SQLite has no tsvector).
HAND_MADE = (
    "proposals_fts",
    "ix_proposals_text_search",
    "ix_proposals_author_created",
    "search_starts",
    "ix_proposals_search_starts",
)


def _include(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    return not (name or "").startswith(HAND_MADE)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=_include,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_standalone() -> None:
    url = os.environ.get("DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set DATABASE_URL (or sqlalchemy.url in alembic.ini)")
    engine = create_engine(url)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    if config.config_file_name is not None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    asyncio.run(_run_standalone())
