"""The agency follow-up sweep (bot/scheduler.py) with a simulated clock and settings from
Settings; every agency notice renders in Kyrgyz and Russian."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import create_i18n
from bot.scheduler import SWEEPS, _guarded, sweep_agency_followup
from bot.services import agencies
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade_to_head
from db.models import Lease, OutboxMessage, utcnow
from db.seed import seed_reference_data
from tests.harness import make_settings
from tests.test_agency_services import MONDAY, TZ, S, outbox, proposal, session, setup
from tests.test_event_reminders import SweepApp, rendered

__all__ = ["session"]


async def test_sweep_reminds_escalates_and_renders_in_both_languages(database_url: str) -> None:
    assert (sweep_agency_followup, 300) in SWEEPS
    settings = make_settings(database_url, "http://127.0.0.1:1")
    engine = create_engine(database_url)
    await upgrade_to_head(engine)
    factory = create_session_factory(engine)
    async with factory() as session:
        await seed_reference_data(session)
        agency, organizer, rep = await setup(session)
        item = await agencies.forward(
            session, await proposal(session), agency, organizer, TZ, now=MONDAY
        )
        answered = await agencies.forward(
            session, await proposal(session), agency, organizer, TZ, now=MONDAY
        )
        await agencies.extend(session, answered.id, rep, 2, "Маалымат керек", TZ, now=MONDAY)
        await agencies.answer(
            session,
            answered.id,
            rep,
            "Кабыл алынды",
            "in-progress",
            next_update_on=(MONDAY + timedelta(days=30)).date(),
            now=MONDAY,
        )
        await agencies.return_to_organizers(
            session,
            (
                await agencies.forward(
                    session, await proposal(session), agency, organizer, TZ, now=MONDAY
                )
            ).id,
            rep,
            "Биздин иш эмес",
            [organizer.id],
            now=MONDAY,
        )
        await session.commit()
        due = item.due_at
    app = SweepApp(settings, factory)
    assert await sweep_agency_followup(app, now=due - timedelta(days=3)) >= 1  # before + digest
    assert await sweep_agency_followup(app, now=due - timedelta(days=3)) == 0
    await sweep_agency_followup(app, now=due + timedelta(days=7, hours=1))  # down since before
    i18n = create_i18n(settings.locales_dir)
    async with factory() as session:
        messages = list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    mine = [m for m in messages if m.template.startswith("agency_")]
    reminders = [m.params["slot"] for m in mine if m.template == "agency_reminder"]
    assert reminders == ["before", "late2"]
    assert {m.template for m in mine} >= {
        "agency_item",
        "agency_reminder",
        "agency_escalation",
        "agency_returned",
        "agency_extension",
        "agency_answer",
        "agency_digest",
    }
    for message in mine:
        ky, ru = rendered(i18n, message, "ky"), rendered(i18n, message, "ru")
        assert ky != ru
        if message.template == "agency_escalation":
            assert "мөөнөтү 7 күнгө өтүп кетти" in ky and "просрочено на 7 дней" in ru
        if message.template == "agency_answer":
            assert "иштелип жатат" in ky and "в работе" in ru
    await engine.dispose()


async def test_sweep_in_chunks_commits_between_and_queues_each_item_once(
    session: AsyncSession,
) -> None:
    agency, organizer, _ = await setup(session)
    items = [
        await agencies.forward(session, await proposal(session), agency, organizer, TZ, now=MONDAY)
        for _ in range(5)
    ]
    await session.commit()
    later = items[0].due_at + timedelta(days=8)
    assert await agencies.followup_due(session, MONDAY, [organizer.id])  # this week's digest
    assert await agencies.queue_weekly_digests(session, MONDAY, [organizer.id]) == 1
    assert not await agencies.followup_due(session, MONDAY, [organizer.id])
    assert await agencies.followup_due(session, later, [organizer.id])
    commits = 0

    async def between() -> None:
        nonlocal commits
        commits += 1
        await session.commit()

    queued = await agencies.queue_escalations(
        session, later, [organizer.id], S, chunk=2, between=between
    )
    assert (queued, commits) == (5, 3)  # chunks of 2, 2 and 1, each committed
    assert await agencies.queue_due_reminders(session, later, S, chunk=2, between=between) == 5
    assert await agencies.queue_weekly_digests(session, later, [organizer.id], between=between) == 1
    assert await agencies.queue_escalations(session, later, [organizer.id], S, chunk=2) == 0
    assert not await agencies.followup_due(session, later, [organizer.id])
    escalations = await outbox(session, "agency_escalation")
    assert sorted(m.params["forwarding_id"] for m in escalations) == sorted(i.id for i in items)
    assert all(m.params["agency_ru"] == "Тестовое агентство" for m in escalations)
    digest = (await outbox(session, "agency_digest"))[-1].params
    f = await agencies.figures(session, agency.id, later)
    assert (digest["open"], digest["answered"], digest["overdue"]) == (f.open, f.answered, 5)
    assert (f.overdue, digest["median_days"]) == (5, f.median_days)


@dataclass
class IdleApp(SweepApp):
    process_id: str = "idle-test"


async def test_an_idle_sweep_takes_no_lease_and_writes_nothing(database_url: str) -> None:
    settings = make_settings(database_url, "http://127.0.0.1:1")
    engine = create_engine(database_url)
    await upgrade_to_head(engine)
    factory = create_session_factory(engine)
    async with factory() as session:
        await seed_reference_data(session)
    app = IdleApp(settings, factory)
    try:
        for sweep, interval in SWEEPS:
            await _guarded(sweep, app, interval, set())()  # type: ignore[arg-type]
        async with factory() as session:
            assert list(await session.scalars(select(Lease))) == []  # nothing was due
            agency, organizer, _ = await setup(session)
            await agencies.forward(
                session, await proposal(session), agency, organizer, TZ, now=utcnow()
            )
            await session.commit()
        await _guarded(sweep_agency_followup, app, 300, set())()  # type: ignore[arg-type]
        async with factory() as session:
            assert [lease.name for lease in await session.scalars(select(Lease))] == [
                "sweep:sweep_agency_followup"
            ]
            assert len(await outbox(session, "agency_digest")) == 1  # a digest was due
    finally:
        await engine.dispose()
