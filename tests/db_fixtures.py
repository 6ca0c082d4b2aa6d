"""A real database for every test: a fresh SQLite file, or (with TEST_DATABASE_URL set to a
PostgreSQL server's maintenance database) a fresh PostgreSQL database created and dropped."""

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import create_engine, create_session_factory

POSTGRES_ADMIN_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture
async def database_url(tmp_path) -> AsyncIterator[str]:  # type: ignore[no-untyped-def]
    if not POSTGRES_ADMIN_URL:
        yield f"sqlite+aiosqlite:///{tmp_path / 'kenesh.sqlite3'}"
        return
    name = f"kenesh_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@asynccontextmanager
async def session_on(database_url: str) -> AsyncIterator[AsyncSession]:
    """A session on an engine of its own, as another process would open it."""
    engine = create_engine(database_url)
    try:
        async with create_session_factory(engine)() as session:
            yield session
    finally:
        await engine.dispose()
