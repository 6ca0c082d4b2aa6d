"""Event rules against the real database: registering, the waiting list, promotion,
reminders exactly once (with an explicit `now`), cancellation notices, check-in, figures,
and the Batken open dialogue platform replayed (seed 003: 50 people, 22 women, 28 men)."""

import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import event_files, events
from bot.services.errors import InvalidInput
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade_to_head
from db.models import OutboxMessage, User
from db.seed import seed_reference_data

TZ = ZoneInfo("Asia/Bishkek")
NOW = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
async def session(database_url: str) -> AsyncIterator[AsyncSession]:
    engine = create_engine(database_url)
    await upgrade_to_head(engine)
    factory = create_session_factory(engine)
    async with factory() as session:
        await seed_reference_data(session)
        await session.commit()
        yield session
    await engine.dispose()


_next_id = iter(range(1000, 100000))


async def person(
    session: AsyncSession,
    *,
    gender: str | None = "female",
    category: str = "citizen",
    region: str = "batken",
    country: str | None = None,
    language: str = "ky",
) -> User:
    user = User(
        telegram_id=next(_next_id),
        language=language,
        consent="given",
        full_name="Айгүл Ташиева",
        region_code=region,
        country_code=country,
        category_code=category,
        gender=gender,
        registered_at=NOW,
    )
    session.add(user)
    await session.flush()
    return user


async def make_event(session: AsyncSession, **changes: object) -> events.Event:
    organizer = await person(session)
    values: dict[str, object] = {
        "kind_code": "open-platform",
        "title_ky": "Баткен облусунун өзгөчө статусу",
        "title_ru": "Особый статус Баткенской области",
        "starts_at": events.parse_local("21.09.2026 10:00", TZ),
        "ends_at": events.parse_local("21.09.2026 13:00", TZ),
        "format": "in_person",
        "venue": "Баткен шаары, «Айгүл-Тоо» мейманканасы",
        "region_code": "batken",
        "topic_codes": ["border", "migration"],
    }
    values.update(changes)
    draft = events.EventDraft(**values)  # type: ignore[arg-type]
    return await events.save_event(session, draft, author=organizer, publish=True, tz=TZ, now=NOW)


async def outbox_rows(session: AsyncSession, template: str) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.template == template)
    return list(await session.scalars(query.order_by(OutboxMessage.id)))


def test_typed_dates() -> None:
    moment = events.parse_local("21.09.2026 10:00", TZ)
    assert moment == datetime(2026, 9, 21, 4, 0, tzinfo=UTC)
    assert events.format_local(moment, TZ) == "21.09.2026 10:00"
    for text, reason in (
        ("31.02.2026 10:00", "date_impossible"),
        ("21.09.2026 25:00", "date_impossible"),
        ("21/09/2026", "date_format"),
        ("tomorrow", "date_format"),
    ):
        with pytest.raises(InvalidInput) as error:
            events.parse_local(text, TZ)
        assert error.value.reason == reason
    start = events.parse_local("21.09.2026 10:00", TZ)
    with pytest.raises(InvalidInput, match="start_in_past"):
        events.check_times(start, None, None, start + timedelta(minutes=1))
    with pytest.raises(InvalidInput, match="end_before_start"):
        events.check_times(start, start - timedelta(hours=1), None, NOW)


async def test_capacity_waiting_list_and_promotion(session: AsyncSession) -> None:
    event = await make_event(session, capacity=2)
    first, second, third, fourth = [await person(session) for _ in range(4)]
    assert (await events.register(session, first, event.id, NOW)).status == "registered"
    assert (await events.register(session, second, event.id, NOW)).status == "registered"
    waiting3 = await events.register(session, third, event.id, NOW + timedelta(minutes=1))
    waiting4 = await events.register(session, fourth, event.id, NOW + timedelta(minutes=2))
    assert (waiting3.status, waiting4.status) == ("waiting", "waiting")
    assert await events.waiting_position(session, waiting4) == 2
    assert await events.seats_left(session, event) == 0
    with pytest.raises(InvalidInput, match="already_registered"):
        await events.register(session, third, event.id, NOW)

    seat = await events.registration_of(session, event.id, first.id)
    assert seat is not None
    promoted = await events.cancel_registration(session, seat, first, TZ, NOW)
    assert promoted is not None and promoted.user_id == third.id
    assert waiting3.status == "registered"
    assert await events.waiting_position(session, waiting4) == 1
    notices = await outbox_rows(session, "event_promoted")
    assert [row.user_id for row in notices] == [third.id]
    assert notices[0].params["venue"].startswith("Баткен")
    assert await events.event_registrant_ids(session, event.id) == sorted([second.id, third.id])

    # Cancelling again is refused; registering again joins the end of the list.
    with pytest.raises(InvalidInput, match="not_registered"):
        await events.cancel_registration(session, seat, first, TZ, NOW)
    again = await events.register(session, first, event.id, NOW + timedelta(minutes=5))
    assert again.status == "waiting" and await events.waiting_position(session, again) == 2


async def test_refusals(session: AsyncSession) -> None:
    event = await make_event(
        session, registration_deadline=events.parse_local("10.09.2026 18:00", TZ)
    )
    someone = await person(session)
    with pytest.raises(InvalidInput, match="deadline_passed"):
        await events.register(session, someone, event.id, datetime(2026, 9, 11, tzinfo=UTC))
    with pytest.raises(InvalidInput, match="event_past"):
        await events.register(session, someone, event.id, datetime(2026, 9, 22, tzinfo=UTC))
    stranger = User(telegram_id=5, language="ru")
    session.add(stranger)
    await session.flush()
    with pytest.raises(InvalidInput, match="registration_required"):
        await events.register(session, stranger, event.id, NOW)
    await events.cancel_event(session, event, TZ)
    with pytest.raises(InvalidInput, match="event_cancelled"):
        await events.register(session, someone, event.id, NOW)


async def test_reminders_exactly_once_and_late_after_downtime(session: AsyncSession) -> None:
    event = await make_event(session)
    ky, ru = await person(session, language="ky"), await person(session, language="ru")
    for someone in (ky, ru):
        await events.register(session, someone, event.id, NOW)
    start = event.starts_at
    assert await events.queue_due_reminders(session, start - timedelta(hours=30), TZ) == 0
    assert await events.queue_due_reminders(session, start - timedelta(hours=23), TZ) == 2
    assert await events.queue_due_reminders(session, start - timedelta(hours=22), TZ) == 0
    # Down from 22 h before until 40 minutes before: the 1-hour reminder is still sent, once.
    assert await events.queue_due_reminders(session, start - timedelta(minutes=40), TZ) == 2
    assert await events.queue_due_reminders(session, start - timedelta(minutes=10), TZ) == 0
    rows = await outbox_rows(session, "event_reminder")
    assert sorted(row.params["which"] for row in rows) == ["1h", "1h", "24h", "24h"]

    # A second event the bot was down for entirely until 30 minutes before: one 1-hour reminder;
    # and nothing at all for an event that has started.
    later = await make_event(
        session,
        starts_at=events.parse_local("25.09.2026 10:00", TZ),
        ends_at=events.parse_local("25.09.2026 12:00", TZ),
    )
    await events.register(session, ky, later.id, NOW)
    due = later.starts_at - timedelta(minutes=30)
    assert await events.queue_due_reminders(session, due, TZ) == 1
    assert (
        await events.queue_due_reminders(session, later.starts_at + timedelta(minutes=1), TZ) == 0
    )
    assert len(await outbox_rows(session, "event_reminder")) == 5


async def test_cancel_event_tells_everyone_once(session: AsyncSession) -> None:
    event = await make_event(session, capacity=1)
    seated, waiting = await person(session), await person(session, language="ru")
    await events.register(session, seated, event.id, NOW)
    await events.register(session, waiting, event.id, NOW)
    assert await events.cancel_event(session, event, TZ) == 2
    rows = await outbox_rows(session, "event_cancelled")
    assert sorted(row.user_id for row in rows) == sorted([seated.id, waiting.id])
    with pytest.raises(InvalidInput, match="event_cancelled"):
        await events.cancel_event(session, event, TZ)


async def test_files(session: AsyncSession) -> None:
    event = await make_event(session)
    calendar = Calendar.from_ical(
        event_files.ics(event, "ky", TZ, url="https://t.me/kenesh_bot?start=ev_1", now=NOW)
    )
    entry = calendar.walk("VEVENT")[0]
    assert entry.decoded("dtstart") == datetime(2026, 9, 21, 10, 0, tzinfo=TZ)
    assert str(entry["summary"]) == "Баткен облусунун өзгөчө статусу"
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Asia/Bishkek"
    assert event_files.qr_png("https://t.me/x").startswith(b"\x89PNG")


async def test_batken_platform_replay(session: AsyncSession) -> None:
    """Seed 003: state bodies, public councils, civil society, international organisations and
    projects, journalists and bloggers, migration experts; 50 people, 22 women and 28 men."""
    event = await make_event(session, capacity=60)
    categories = {
        "state-body": 10,
        "public-council": 9,
        "civil-society": 11,
        "international": 6,
        "media": 8,
        "expert": 6,
    }
    genders = ["female"] * 22 + ["male"] * 28
    people = []
    index = 0
    for category, count in categories.items():
        for _ in range(count):
            region = "abroad" if category == "expert" and index % 3 == 0 else "batken"
            someone = await person(
                session,
                gender=genders[index],
                category=category,
                region=region,
                country="RU" if region == "abroad" else None,
            )
            people.append(someone)
            await events.register(session, someone, event.id, NOW)
            index += 1
    for someone in people[:45]:
        registration = await events.registration_of(session, event.id, someone.id)
        assert registration is not None
        await events.check_in(session, registration.code.lower(), NOW)
    figures = await events.stats(session, event.id, "ky")
    assert (figures.registered, figures.attended, figures.waiting) == (50, 45, 0)
    assert (figures.women, figures.men, figures.gender_not_given) == (22, 28, 0)
    assert figures.by_category["Мамлекеттик орган"] == 10
    assert figures.by_category["ЖМК, журналист, блогер"] == 8
    assert sum(figures.by_category.values()) == 50
    assert figures.by_country == {"Россия": 2}
    assert figures.by_region["Баткен облусу"] == 48

    rows = [
        [r.registration.code, r.user.gender] for r in await events.registrants(session, event.id)
    ]
    workbook = load_workbook(
        io.BytesIO(
            event_files.xlsx(
                ["code", "gender"], rows, [("women", 22)], sheet_title="A", summary_title="B"
            )
        )
    )
    assert workbook["A"].max_row == 51
    parsed = list(
        csv.reader(io.StringIO(event_files.csv_bytes(["code", "gender"], rows).decode("utf-8-sig")))
    )
    assert sum(1 for row in parsed[1:] if row[1] == "female") == 22


async def test_moving_an_event_tells_registrants_and_rearms_reminders(
    session: AsyncSession,
) -> None:
    event = await make_event(session, capacity=1)
    seated, waiting = await person(session), await person(session, language="ru")
    await events.register(session, seated, event.id, NOW)
    await events.register(session, waiting, event.id, NOW)
    assert await events.queue_due_reminders(session, event.starts_at - timedelta(hours=2), TZ) == 1

    draft = await events.draft_of(session, event)
    draft.title_ru = "Новое название"
    organizer = await person(session)
    await events.save_event(
        session, draft, author=organizer, publish=True, tz=TZ, event=event, now=NOW
    )
    assert await outbox_rows(session, "event_changed") == [], "a new title is not a new time"

    draft.starts_at += timedelta(days=1)
    draft.ends_at += timedelta(days=1)
    draft.capacity = 2
    await events.save_event(
        session, draft, author=organizer, publish=True, tz=TZ, event=event, now=NOW
    )
    changed = await outbox_rows(session, "event_changed")
    assert sorted(row.user_id for row in changed) == sorted([seated.id, waiting.id])
    assert changed[0].params["starts_at"] == event.starts_at.isoformat()
    # The raised capacity seats the waiting person; the new time gets its own reminders.
    assert await events.event_registrant_ids(session, event.id) == sorted([seated.id, waiting.id])
    assert await events.queue_due_reminders(session, event.starts_at - timedelta(hours=2), TZ) == 2
