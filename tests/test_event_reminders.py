"""The reminder sweep (bot/scheduler.py) driven with an explicit `now` against the real
database: each reminder is queued once, also across a restart and after downtime; and every
notice renders in both languages with the date, time and place."""

from dataclasses import dataclass
from datetime import timedelta

from aiogram.utils.i18n import I18n
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.i18n import create_i18n
from bot.notices import render
from bot.scheduler import SWEEPS, sweep_event_reminders
from bot.services import events
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade_to_head
from db.models import OutboxMessage
from db.seed import seed_reference_data
from tests.harness import make_settings
from tests.test_event_services import NOW, TZ, make_event, person


@dataclass
class SweepApp:
    """What a sweep uses of the App: settings and the session factory."""

    settings: Settings
    session_factory: async_sessionmaker[AsyncSession]


async def reminders(factory: async_sessionmaker[AsyncSession]) -> list[OutboxMessage]:
    async with factory() as session:
        query = select(OutboxMessage).where(OutboxMessage.template == "event_reminder")
        return list(await session.scalars(query.order_by(OutboxMessage.id)))


def rendered(i18n: I18n, message: OutboxMessage, locale: str) -> str:
    with i18n.context(), i18n.use_locale(locale):
        notice = render(message.template, message.params, locale)
    buttons = " | ".join(button.text for row in notice.buttons for button in row)
    return f"{notice.text}\n[{buttons}]"


async def test_reminders_once_across_a_restart(database_url: str) -> None:
    assert (sweep_event_reminders, 60) in SWEEPS
    settings = make_settings(database_url, "http://127.0.0.1:1")
    engine = create_engine(database_url)
    await upgrade_to_head(engine)
    factory = create_session_factory(engine)
    async with factory() as session:
        await seed_reference_data(session)
        event = await make_event(session, capacity=1)
        seated = await person(session, language="ky")
        waiting = await person(session, language="ru")
        await events.register(session, seated, event.id, NOW)
        await events.register(session, waiting, event.id, NOW)
        await session.commit()
        start = event.starts_at
    app = SweepApp(settings, factory)

    assert await sweep_event_reminders(app, now=start - timedelta(hours=25)) == 0
    assert await sweep_event_reminders(app, now=start - timedelta(hours=23, minutes=59)) == 1
    assert await sweep_event_reminders(app, now=start - timedelta(hours=23)) == 0

    # The process stops and comes back (a new engine, nothing in memory) at 50 minutes before.
    await engine.dispose()
    engine = create_engine(database_url)
    app = SweepApp(settings, create_session_factory(engine))
    assert await sweep_event_reminders(app, now=start - timedelta(hours=22)) == 0
    assert await sweep_event_reminders(app, now=start - timedelta(minutes=50)) == 1
    assert await sweep_event_reminders(app, now=start - timedelta(minutes=49)) == 0
    assert await sweep_event_reminders(app, now=start + timedelta(minutes=5)) == 0

    rows = await reminders(app.session_factory)
    assert [row.params["which"] for row in rows] == ["24h", "1h"]
    assert {row.user_id for row in rows} == {seated.id}, "nobody on the waiting list is reminded"

    i18n = create_i18n(settings.locales_dir)
    day_before = rendered(i18n, rows[0], "ky")
    assert "Эскертүү: <b>Баткен облусунун өзгөчө статусу</b>" in day_before
    assert "🗓 дүйшөмбү, 21-сентябрь, 2026-жыл, 10:00 – 13:00" in day_before
    assert "Айгүл-Тоо" in day_before
    assert "[Ооба, келем | Келе албайм]" in day_before
    hour_before = rendered(i18n, rows[1], "ru")
    assert "<b>Особый статус Баткенской области</b> начнётся через час" in hour_before
    assert "🗓 понедельник, 21 сентября 2026\u202fг., 10:00 – 13:00" in hour_before
    assert "Айгүл-Тоо" in hour_before
    await engine.dispose()


async def test_cancellation_and_promotion_notices_render(database_url: str) -> None:
    engine = create_engine(database_url)
    await upgrade_to_head(engine)
    factory = create_session_factory(engine)
    async with factory() as session:
        await seed_reference_data(session)
        event = await make_event(
            session,
            capacity=1,
            format="hybrid",
            online_url="https://meet.example.kg/batken",
        )
        first, second = await person(session), await person(session, language="ru")
        seat = await events.register(session, first, event.id, NOW)
        await events.register(session, second, event.id, NOW)
        await events.cancel_registration(session, seat, first, TZ, NOW)
        await events.cancel_event(session, event, TZ)
        await session.commit()
        rows = list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    i18n = create_i18n(make_settings(database_url, "http://127.0.0.1:1").locales_dir)
    assert [row.template for row in rows] == ["event_promoted", "event_cancelled"]
    promoted = rendered(i18n, rows[0], "ru")
    assert "Освободилось место" in promoted and rows[0].params["code"] in promoted
    assert "https://meet.example.kg/batken" in promoted
    cancelled_ky = rendered(i18n, rows[1], "ky")
    assert "иш-чарасы жокко чыгарылды" in cancelled_ky
    assert "10:00 – 13:00" in cancelled_ky and "Айгүл-Тоо" in cancelled_ky
    await engine.dispose()
