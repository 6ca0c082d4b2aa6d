"""The agency follow-up sweep (bot/scheduler.py) with a simulated clock and settings from
Settings; every agency notice renders in Kyrgyz and Russian."""

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.config import ROOT
from bot.i18n import create_i18n
from bot.scheduler import SWEEPS, _guarded, sweep_agency_followup
from bot.services import agencies
from bot.services import outbox as outbox_service
from bot.services.agencies.queueing import (
    CHUNK,
    CHUNK_SECONDS,
    MAX_CHUNK,
    MIN_CHUNK,
    POSTGRES_CHUNK,
    Chunks,
)
from bot.services.agencies.sweep_messages import LISTED
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade_to_head
from db.models import Agency, Forwarding, Lease, OutboxMessage, utcnow
from db.seed import seed_reference_data
from tests.harness import make_settings
from tests.test_agency_services import MONDAY, TZ, S, outbox, proposal, session, setup
from tests.test_event_reminders import SweepApp, rendered
from tests.test_event_services import person

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
    # On SQLite the lists are read in a transaction of their own (ending the one before it:
    # two commits); then chunks of 2, 2 and 1, each committed. Five items of one agency make
    # one list for the whole sweep, queued with the first chunk.
    own_read = 0 if session.get_bind().dialect.name == "postgresql" else 2
    assert (queued, commits) == (1, own_read + 3)
    assert await agencies.queue_due_reminders(session, later, S, chunk=2, between=between) == 1
    assert await agencies.queue_weekly_digests(session, later, [organizer.id], between=between) == 1
    assert await agencies.queue_escalations(session, later, [organizer.id], S, chunk=2) == 0
    assert not await agencies.followup_due(session, later, [organizer.id])
    (escalations,) = await outbox(session, "agency_escalations")
    assert sorted(escalations.params["proposal_ids"]) == sorted(i.proposal_id for i in items)
    assert escalations.params["agency_ru"] == "Тестовое агентство"
    (reminders,) = await outbox(session, "agency_reminders")
    assert (reminders.params["count"], reminders.params["late"]) == (5, 5)
    digest = (await outbox(session, "agency_digest"))[-1].params
    f = await agencies.figures(session, agency.id, later)
    assert (digest["open"], digest["answered"], digest["overdue"]) == (f.open, f.answered, 5)
    assert (f.overdue, digest["median_days"]) == (5, f.median_days)


async def test_many_items_of_one_agency_go_in_one_reminder_and_one_escalation(
    session: AsyncSession,
) -> None:
    """From GROUPED_FROM items of one agency in a chunk, each person gets one message listing
    them, the most overdue first, instead of one each; queued again, it is not sent twice."""
    agency, organizer, rep = await setup(session)
    # The less overdue ones first, so that the list's order is not the order of the ids.
    recent = [
        await agencies.forward(
            session, await proposal(session), agency, organizer, TZ, now=MONDAY + timedelta(days=7)
        )
        for _ in range(3)
    ]
    early = [
        await agencies.forward(session, await proposal(session), agency, organizer, TZ, now=MONDAY)
        for _ in range(LISTED + 2)
    ]
    await session.commit()
    later = recent[0].due_at + timedelta(days=8)
    reminded_at = {i.id: i.next_reminder_at for i in early + recent}
    # In chunks of 4: still one message for the whole sweep.
    assert await agencies.queue_due_reminders(session, later, S, chunk=4) == 1
    assert await agencies.queue_escalations(session, later, [organizer.id], S, chunk=4) == 1
    await session.commit()
    # Each item's next reminder is its own due date's next slot (two due dates here).
    due_dates = {i.due_at for i in early + recent}
    assert len(due_dates) == 2
    for item in early + recent:
        await session.refresh(item)
        assert item.next_reminder_at == agencies.next_slot_after(item.due_at, later, S)
    assert await outbox(session, "agency_reminder") == []
    assert await outbox(session, "agency_escalation") == []
    (reminder,) = await outbox(session, "agency_reminders")
    (escalation,) = await outbox(session, "agency_escalations")
    assert (reminder.user_id, escalation.user_id) == (rep.id, organizer.id)
    most_overdue_first = [i.proposal_id for i in early][:LISTED]
    for message in (reminder, escalation):
        params = message.params
        assert params["count"] == len(early) + len(recent)
        assert params["proposal_ids"] == most_overdue_first
        assert params["agency_ru"] == "Тестовое агентство"
    assert reminder.params["late"] == len(early) + len(recent)
    i18n = create_i18n(ROOT / "locales")
    ky, ru = rendered(i18n, reminder, "ky"), rendered(i18n, reminder, "ru")
    assert "Тест агенттиги: 25 сунуш сиздин жообуңузду күтүп жатат." in ky
    assert "Алардын ичинен 25 сунуштун мөөнөтү өтүп кетти." in ky
    assert "Тестовое агентство: 25 предложений ждут вашего ответа. Из них просрочено: 25." in ru
    listed = ", ".join(f"/p{n}" for n in most_overdue_first)
    assert f"{listed} жана дагы 5" in ky and f"{listed} и ещё 5" in ru
    assert "/items" in ky and "/items" in ru
    ky, ru = rendered(i18n, escalation, "ky"), rendered(i18n, escalation, "ru")
    assert "Тест агенттиги 25 сунушка мөөнөтүндө жооп берген жок:" in ky
    assert "Орган «Тестовое агентство» не ответил в срок на 25 предложений:" in ru
    assert f"{listed} и ещё 5" in ru and "/agencies" in ru

    # The same chunk queued again (a sweep stopped before it could record its progress):
    # the list's key is the same, so nothing more goes out.
    for item_id, at in reminded_at.items():
        await session.execute(
            update(Forwarding).where(Forwarding.id == item_id).values(next_reminder_at=at)
        )
    assert await agencies.queue_due_reminders(session, later, S) == 0


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


async def test_a_sweeps_rows_are_complete_and_a_failed_chunk_saves_nothing(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows a sweep writes in one statement (outbox.enqueue_many) are whole messages, and
    a chunk that fails leaves neither its messages nor its cleared due dates behind."""
    agency, organizer, rep = await setup(session)
    items = [
        await agencies.forward(session, await proposal(session), agency, organizer, TZ, now=MONDAY)
        for _ in range(3)
    ]
    await session.commit()
    later = items[0].due_at + timedelta(days=8)
    # Plain values: the rollback below expires the objects.
    organizer_id, rep_id, agency_id = organizer.id, rep.id, agency.id
    item_of = {i.id: (i.proposal_id, i.due_at) for i in items}
    real = outbox_service.enqueue_many

    async def fails_after_insert(*args: Any, **kwargs: Any) -> int:
        await real(*args, **kwargs)
        raise RuntimeError("the chunk fails after its insert")

    monkeypatch.setattr(outbox_service, "enqueue_many", fails_after_insert)
    with pytest.raises(RuntimeError):
        await agencies.queue_escalations(session, later, [organizer_id], S)
    await session.rollback()
    assert await outbox(session, "agency_escalation") == []
    due = select(func.count()).where(Forwarding.escalate_at.is_not(None))
    assert await session.scalar(due) == len(items)
    monkeypatch.setattr(outbox_service, "enqueue_many", real)
    before = utcnow()
    assert await agencies.queue_escalations(session, later, [organizer_id, rep_id], S) == 6
    assert await agencies.queue_due_reminders(session, later, S) == 3
    assert await agencies.queue_escalations(session, later, [organizer_id, rep_id], S) == 0
    await session.commit()
    reminder = (await outbox(session, "agency_reminder"))[0]
    item_id = reminder.params["forwarding_id"]
    proposal_id, due_at = item_of[item_id]
    slot, late_days = agencies.slot_name(due_at, later, S), agencies.overdue_days(due_at, later, TZ)
    assert reminder.params == {
        "forwarding_id": item_id,
        "proposal_id": proposal_id,
        "slot": slot,
        "late_days": late_days,
        "due_at": due_at.isoformat(),
    }
    assert reminder.dedupe_key == f"fwd:{item_id}:{due_at:%Y%m%d}:{slot}:{rep_id}"
    assert (reminder.user_id, reminder.kind, reminder.status, reminder.attempts) == (
        rep_id,
        "agency_reminder",
        "pending",
        0,
    )
    assert reminder.next_attempt_at == reminder.created_at
    assert before <= reminder.next_attempt_at <= utcnow()
    escalations = await outbox(session, "agency_escalation")
    assert sorted((m.user_id, m.params["forwarding_id"]) for m in escalations) == sorted(
        (user, i) for user in (organizer_id, rep_id) for i in item_of
    )
    assert all(
        m.params["agency_id"] == agency_id and m.params["late_days"] == late_days
        for m in escalations
    )
    assert escalations[0].dedupe_key == (
        f"fwd:{escalations[0].params['forwarding_id']}:{due_at:%Y%m%d}:escalate:"
        f"{escalations[0].user_id}"
    )


def test_chunks_are_sized_by_their_time() -> None:
    """A chunk fits CHUNK_SECONDS at the previous one's pace, grows at most twofold, and a
    given size is kept."""
    chunks = Chunks(None)
    assert chunks.size == CHUNK

    def took(seconds: float, items: int) -> int:
        chunks._started = time.perf_counter() - seconds
        chunks.ended(items)
        return chunks.size

    assert took(CHUNK_SECONDS / 10, CHUNK) == 2 * CHUNK  # fast: twice as many next time
    assert CHUNK - 2 <= took(CHUNK_SECONDS * 2, 2 * CHUNK) <= CHUNK  # slow: half as many
    size = chunks.size
    assert took(CHUNK_SECONDS * 2, size - 1) == size  # the last, short chunk tells nothing
    assert took(10.0, CHUNK) == MIN_CHUNK  # never one item a chunk: its fixed cost stays
    for _ in range(20):
        took(0.0, chunks.size)
    assert chunks.size == MAX_CHUNK
    fixed = Chunks(7)
    fixed._started = time.perf_counter() - 10
    fixed.ended(7)
    assert fixed.size == 7


async def test_a_slow_chunk_never_shrinks_the_next_below_its_floor(session: AsyncSession) -> None:
    """A chunk that took long (replies busy beside it) shrinks the next one on SQLite, never
    below MIN_CHUNK; on PostgreSQL, which locks only a chunk's rows, chunks keep POSTGRES_CHUNK
    (sized by time they fell to one item each and a sweep of 100,000 took 20 minutes)."""
    chunks = Chunks(None)
    for _ in range(5):
        await chunks.begin(session)
        chunks._started = time.perf_counter() - 1.0  # a second for a full chunk
        chunks.ended(chunks.size)
        await session.rollback()
    expected = POSTGRES_CHUNK if session.get_bind().dialect.name == "postgresql" else MIN_CHUNK
    assert chunks.size == expected


async def test_enqueue_many_skips_existing_keys_and_counts_what_it_adds(
    session: AsyncSession,
) -> None:
    _, organizer, rep = await setup(session)
    shared = {"n": 1, "text": "Салам"}
    rows = [
        outbox_service.new_row(
            user_id=user, kind="test", template="test", params=shared, dedupe_key=f"k:{user}"
        )
        for user in (organizer.id, rep.id)
    ]
    assert await outbox_service.enqueue_many(session, rows[:1], skip_existing=True) == 1
    assert await outbox_service.enqueue_many(session, rows, skip_existing=True) == 1
    assert await outbox_service.enqueue_many(session, [], skip_existing=True) == 0
    plain = outbox_service.new_row(user_id=rep.id, kind="test", template="test")
    assert await outbox_service.enqueue_many(session, [plain, plain]) == 2
    await session.commit()
    added = await outbox(session, "test")
    assert [(m.user_id, m.dedupe_key, m.params) for m in added] == [
        (organizer.id, f"k:{organizer.id}", shared),
        (rep.id, f"k:{rep.id}", shared),
        (rep.id, None, {}),
        (rep.id, None, {}),
    ]
    assert added[0].created_at == rows[0]["created_at"]


async def test_digests_count_each_agencys_figures_once_a_week_though_two_sweeps_race(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each agency's digest has its figures (open, answered, overdue, the median of the
    answered durations, an odd and an even count of them) and goes once to each organizer
    per ISO week: two processes that both read the digests as missing before either writes
    queue them once between them, and later sweeps of the week queue none."""
    engine = create_engine(database_url)
    await upgrade_to_head(engine)
    factory = create_session_factory(engine)
    async with factory() as session:
        await seed_reference_data(session)
        first, organizer, first_rep = await setup(session)
        second = await agencies.add_agency(session, "second", "Экинчи", "Второе", 14)
        second_rep = await person(session, language="ru")
        _, token = await agencies.create_invitation(session, second, organizer, now=MONDAY)
        await agencies.accept_invitation(session, token, second_rep, now=MONDAY)
        other_organizer = await person(session, language="ky")
        other_organizer.is_organizer = True
        # No item forwarded, no digest.
        await agencies.add_agency(session, "idle", "Бош", "Пустое", 14)

        async def item(agency: Agency, at: datetime) -> Forwarding:
            return await agencies.forward(
                session, await proposal(session), agency, organizer, TZ, now=at
            )

        answered_from = MONDAY - timedelta(days=20)
        for agency, rep, days in (
            (first, first_rep, (4, 1, 2)),
            (second, second_rep, (10, 1, 4, 2)),
        ):
            for n in days:
                row = await item(agency, answered_from)
                await agencies.answer(
                    session, row.id, rep, "Жооп", "accepted", now=answered_from + timedelta(days=n)
                )
        for _ in range(2):
            await item(first, MONDAY - timedelta(days=30))  # due 16 days ago: overdue
        await item(first, MONDAY)
        await item(second, MONDAY)
        returned = await item(first, MONDAY)
        await agencies.return_to_organizers(
            session, returned.id, first_rep, "Биздин иш эмес", [organizer.id], now=MONDAY
        )
        await session.commit()
        organizers = sorted((organizer.id, other_organizer.id))
        expected = {
            first.id: {"open": 3, "answered": 3, "overdue": 2, "median_days": 2.0},
            second.id: {"open": 1, "answered": 4, "overdue": 0, "median_days": 3.0},
        }
        for agency_id, figures in expected.items():
            f = await agencies.figures(session, agency_id, MONDAY)
            assert figures == {
                "open": f.open,
                "answered": f.answered,
                "overdue": f.overdue,
                "median_days": f.median_days,
            }
        names = {a.id: (a.name_ky, a.name_ru) for a in (first, second)}

    # Two processes (an engine each); each waits at its write until both have read.
    real = outbox_service.enqueue_many
    both_read = asyncio.Barrier(2)
    writes: list[int] = []

    async def racing(*args: Any, **kwargs: Any) -> int:
        writes.append(len(args[1]))
        await asyncio.wait_for(both_read.wait(), 10)
        return await real(*args, **kwargs)

    monkeypatch.setattr(outbox_service, "enqueue_many", racing)
    engines = [create_engine(database_url) for _ in range(2)]

    async def sweep(engine: AsyncEngine) -> int:
        async with create_session_factory(engine)() as session:
            queued = await agencies.queue_weekly_digests(
                session, MONDAY, organizers, between=session.commit
            )
            await session.commit()
            return queued

    try:
        assert sorted(await asyncio.gather(*(sweep(e) for e in engines))) == [0, 4]
    finally:
        for e in engines:
            await e.dispose()
    assert writes == [4, 4]  # both found all four missing: the race did happen
    monkeypatch.setattr(outbox_service, "enqueue_many", real)

    async def digests() -> list[tuple[int, str, dict[str, Any]]]:
        async with factory() as session:
            return [
                (m.user_id, m.dedupe_key, m.params) for m in await outbox(session, "agency_digest")
            ]

    week = "{}-{}".format(*MONDAY.isocalendar()[:2])
    assert sorted(await digests()) == sorted(
        (
            organizer_id,
            f"digest:{agency_id}:{week}:{organizer_id}",
            {
                "agency_id": agency_id,
                "agency_ky": names[agency_id][0],
                "agency_ru": names[agency_id][1],
                **figures,
            },
        )
        for agency_id, figures in expected.items()
        for organizer_id in organizers
    )
    app = SweepApp(make_settings(database_url, "http://127.0.0.1:1"), factory)
    await sweep_agency_followup(app, now=MONDAY + timedelta(days=6))  # Sunday, the same week
    assert len(await digests()) == 4
    await sweep_agency_followup(app, now=MONDAY + timedelta(days=7))
    assert len(await digests()) == 8  # a new week, a new digest each
    await engine.dispose()
