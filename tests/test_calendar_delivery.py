"""The calendar file the outbox makes at sending time (a seat from the waiting list, a new
time): it meets Telegram's 429, 403 and a server error like any other message."""

from collections.abc import AsyncIterator
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.app import App, build_app
from bot.delivery import create_worker
from bot.send_rate import LocalSchedule, Pace
from bot.services import events, outbox
from db.models import OutboxMessage, User, utcnow
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import make_settings
from tests.people import Participant, add_participants

TZ = ZoneInfo("Asia/Bishkek")
AIDA = 3301


@pytest.fixture
async def app(database_url: str, telegram: FakeTelegramServer) -> AsyncIterator[App]:
    app = await build_app(make_settings(database_url, telegram.base_url, outbox_max_attempts=2))
    await add_participants(database_url, Participant(AIDA, "ru"))
    telegram.add_users([AIDA])
    try:
        yield app
    finally:
        await app.close()


async def queue_calendar(app: App) -> None:
    async with app.session_factory() as session:
        aida = await session.scalar(select(User).where(User.telegram_id == AIDA))
        assert aida is not None
        start = utcnow() + timedelta(days=3)
        event = await events.save_event(
            session,
            events.EventDraft(
                kind_code="dialogue",
                title_ky="Суу диалогу",
                title_ru="Диалог о воде",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                format="in_person",
                venue="Баткен",
                region_code="batken",
                topic_codes=["water"],
            ),
            author=aida,
            publish=True,
            tz=TZ,
            now=utcnow(),
        )
        await outbox.enqueue(
            session,
            user_id=aida.id,
            kind="event_promoted",
            template="event_promoted",
            params={**events.event_params(event, TZ), "code": "K7M2QX"},
            attachment_kind=events.CALENDAR_ATTACHMENT,
            attachment_ref=str(event.id),
        )
        await session.commit()


async def statuses(app: App) -> list[str]:
    async with app.session_factory() as session:
        return list(await session.scalars(select(OutboxMessage.status)))


async def make_due(app: App) -> None:
    async with app.session_factory() as session:
        await session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        await session.commit()


async def test_429_then_a_server_error_then_the_calendar_arrives(
    app: App, telegram: FakeTelegramServer
) -> None:
    await queue_calendar(app)
    sender = create_worker(app)
    # No interval per chat: the retry below is made due at once.
    rate = app.settings.telegram_rate_per_second
    sender.pace = Pace(LocalSchedule(), rate, app.settings.outbox_rate_per_second, 0)
    telegram.fail_next("sendDocument", status=429, retry_after=1)
    telegram.fail_next("sendDocument", status=502, description="Bad Gateway")
    await sender.run_once()  # the 429 is waited out in the call, then the 502 backs off
    assert await statuses(app) == ["pending"]
    await make_due(app)
    await sender.run_once()
    assert await statuses(app) == ["sent"]
    calls = [c.status for c in telegram.calls_of("sendDocument")]
    assert calls == [429, 502, 200]
    [sent] = telegram.messages_to(AIDA)
    assert sent.document is not None and sent.document[0].endswith(".ics")
    assert b"SEQUENCE:" in sent.document[1] and "K7M2QX" in sent.visible


async def test_a_blocked_person_gets_no_calendar(app: App, telegram: FakeTelegramServer) -> None:
    await queue_calendar(app)
    telegram.block(AIDA)
    await create_worker(app).run_once()
    assert await statuses(app) == ["dropped"]
