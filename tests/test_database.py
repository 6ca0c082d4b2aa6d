"""Migrations go up, down and up again; reference data is seeded once and edits survive."""

from datetime import UTC, datetime

from sqlalchemy import func, inspect, select, text, update

from db.engine import create_engine, create_session_factory
from db.migrate import downgrade_to_base, upgrade_to, upgrade_to_head
from db.models import Country, Event, EventKind, Region, StakeholderCategory, Topic
from db.seed import seed_reference_data


async def table_names(engine) -> set[str]:  # type: ignore[no-untyped-def]
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))


async def test_migrations_up_down_up(database_url: str) -> None:
    engine = create_engine(database_url)
    await upgrade_to_head(engine)
    assert {"users", "regions", "outbox_messages", "fsm_states"} <= await table_names(engine)
    await downgrade_to_base(engine)
    assert await table_names(engine) <= {"alembic_version"}
    await upgrade_to_head(engine)
    assert "users" in await table_names(engine)
    await engine.dispose()


async def test_seed_is_idempotent_and_keeps_edits(database_url: str) -> None:
    engine = create_engine(database_url)
    await upgrade_to_head(engine)
    sessions = create_session_factory(engine)
    async with sessions() as session:
        assert await seed_reference_data(session) == 11 + 16 + 12 + 9 + 6 + 10
        region = await session.get(Region, "batken")
        assert region is not None
        assert (region.name_ky, region.name_ru) == ("Баткен облусу", "Баткенская область")
        region.name_ru = "Баткенская обл."
        await session.commit()
    async with sessions() as session:
        assert await seed_reference_data(session) == 0
        counts = [
            await session.scalar(select(func.count()).select_from(model))
            for model in (Region, Topic, StakeholderCategory, Country, EventKind)
        ]
        assert counts == [11, 16, 12, 9, 6]
        assert (await session.get(Region, "batken")).name_ru == "Баткенская обл."  # type: ignore[union-attr]
        national = await session.get(Region, "national")
        assert national is not None and not national.is_residence
    await engine.dispose()


async def test_an_events_revision_starts_above_the_sequence_already_sent(
    database_url: str,
) -> None:
    """Calendar files sent before 0018 carried the second of the event's last change as
    their SEQUENCE; the revision that replaces it starts above that and grows by one with
    every change, also with two in the same second."""
    engine = create_engine(database_url)
    await upgrade_to(engine, "0017_search_vector")
    changed = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO event_kinds (code, name_ky, name_ru, sort_order) "
                "VALUES ('forum', 'Форум', 'Форум', 0)"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO events (id, kind_code, starts_at, ends_at, format, status, "
                "created_at, updated_at) "
                "VALUES (1, 'forum', :at, :at, 'in_person', 'published', :at, :at)"
            ),
            {"at": changed.replace(tzinfo=None) if engine.dialect.name == "sqlite" else changed},
        )
    await upgrade_to_head(engine)
    sessions = create_session_factory(engine)
    async with sessions() as session:
        first = await session.scalar(select(Event.revision).where(Event.id == 1))
        assert first is not None and first > int(changed.timestamp())
        for venue in ("Баткен", "Ош"):
            await session.execute(update(Event).where(Event.id == 1).values(venue=venue))
        event = await session.get(Event, 1)
        assert event is not None
        event.title_ky = "Жаңы аталыш"
        await session.commit()
        assert await session.scalar(select(Event.revision).where(Event.id == 1)) == first + 3
    await engine.dispose()
