"""Leases: several processes share the sweeps and the announcements' progress loop, each run
by one process at a time; a dead holder's lease runs out and another process takes over."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.scheduler import _guarded
from db import leases
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade_to_head
from db.models import Lease, utcnow


@dataclass
class Process:  # what a sweep's guard needs of the App
    session_factory: async_sessionmaker[AsyncSession]
    process_id: str


@pytest.fixture
async def factory(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    await upgrade_to_head(engine)
    yield create_session_factory(engine)
    await engine.dispose()


async def lapse(factory: async_sessionmaker[AsyncSession]) -> None:
    async with factory() as session:
        await session.execute(update(Lease).values(expires_at=utcnow() - timedelta(seconds=1)))
        await session.commit()


async def test_one_process_runs_a_sweep_per_interval_and_another_takes_over(
    factory: async_sessionmaker[AsyncSession],
) -> None:
    runs: list[str] = []

    async def sweep(app: Process) -> None:
        runs.append(app.process_id)

    first, second = Process(factory, "first"), Process(factory, "second")
    await _guarded(sweep, first, 60, set())()  # type: ignore[arg-type]
    await _guarded(sweep, second, 60, set())()  # type: ignore[arg-type]
    assert runs == ["first"]

    await lapse(factory)  # the first process died: its lease runs out
    await _guarded(sweep, second, 60, set())()  # type: ignore[arg-type]
    await _guarded(sweep, first, 60, set())()  # type: ignore[arg-type]
    assert runs == ["first", "second"]


async def test_two_processes_racing_for_a_lease_one_wins(
    factory: async_sessionmaker[AsyncSession],
) -> None:
    async def take(holder: str) -> bool:
        async with factory() as session:
            mine = await leases.take(session, "sweep:race", holder, 30)
            await session.commit()
            return mine

    for round_ in range(5):
        won = await asyncio.gather(*(take(f"p{round_}-{i}") for i in range(4)))
        assert sum(won) == 1
        await lapse(factory)


async def test_a_clean_stop_gives_the_leases_back(
    factory: async_sessionmaker[AsyncSession],
) -> None:
    async with factory() as session:
        assert await leases.take(session, "announcements-progress", "leaving", 30)
        assert not await leases.take(session, "announcements-progress", "staying", 30)
        await leases.give_back_all(session, "leaving")
        assert await leases.take(session, "announcements-progress", "staying", 30)
        await session.commit()
