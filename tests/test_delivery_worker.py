"""The delivery worker, one round at a time, against the real database and the fake Bot API:
rendering in the recipient's current language, buttons, each kind of Telegram answer, the
pace per chat, and recovery of rows left 'sending' by a crash."""

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, select, update

from bot.app import App, build_app
from bot.delivery import DeliveryWorker, create_worker, run_delivery
from bot.notices import Button, Notice, notice
from bot.send_rate import RETRIES_AFTER_429, LocalSchedule, Pace
from bot.services import outbox
from db.models import OutboxMessage, User, utcnow
from tests.e2e import wait_until
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import make_settings
from tests.people import Participant, add_participants

AIDA, BOLOT = 3001, 3002


@notice("test_with_link")
def with_link(params: dict[str, Any], locale: str) -> Notice:
    return Notice(params[locale], buttons=[[Button("kenesh.kg", url="https://kenesh.kg/")]])


@pytest.fixture
async def app(database_url: str, telegram: FakeTelegramServer) -> AsyncIterator[App]:
    app = await build_app(
        make_settings(
            database_url,
            telegram.base_url,
            outbox_max_attempts=2,
            outbox_claim_lease_seconds=30,
            outbox_chat_interval_seconds=1.0,  # Telegram's: the pace per chat is checked here
        )
    )
    await add_participants(database_url, Participant(AIDA, "ky"), Participant(BOLOT, "ru"))
    telegram.add_users([AIDA, BOLOT])
    try:
        yield app
    finally:
        await app.close()


async def user_id(app: App, telegram_id: int) -> int:
    async with app.session_factory() as session:
        found = await session.scalar(select(User.id).where(User.telegram_id == telegram_id))
        assert found is not None
        return found


async def queue(app: App, telegram_id: int, texts: dict[str, str], **extra: Any) -> None:
    async with app.session_factory() as session:
        await outbox.enqueue(
            session,
            user_id=await user_id(app, telegram_id),
            kind="test",
            template=extra.pop("template", "text"),
            params=extra.pop("params", {"texts": texts}),
            **extra,
        )
        await session.commit()


async def rows(app: App) -> list[OutboxMessage]:
    async with app.session_factory() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def make_all_due(app: App) -> None:
    async with app.session_factory() as session:
        await session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        await session.commit()


def worker(app: App) -> DeliveryWorker:
    return create_worker(app)


def unpaced_chats(app: App) -> Pace:
    """The bot's overall pace with no interval per chat (the worker's own pace object)."""
    rate = app.settings.telegram_rate_per_second
    return Pace(LocalSchedule(), rate, app.settings.outbox_rate_per_second, 0)


async def test_renders_in_the_language_the_person_has_when_it_is_sent(
    app: App, telegram: FakeTelegramServer
) -> None:
    await queue(app, AIDA, {}, template="test_with_link", params={"ky": "Салам", "ru": "Привет"})
    async with app.session_factory() as session:
        await session.execute(update(User).where(User.telegram_id == AIDA).values(language="ru"))
        await session.commit()

    assert await worker(app).run_once() == 1

    [sent] = telegram.messages_to(AIDA)
    assert sent.visible == "Привет"
    [row] = await rows(app)
    assert (row.status, row.telegram_message_id) == ("sent", sent.message_id)
    [call] = [c for c in telegram.calls_of("sendMessage") if int(c.params["chat_id"]) == AIDA]
    assert "https://kenesh.kg/" in str(call.params["reply_markup"])


async def test_a_blocked_person_becomes_unreachable_and_their_queue_is_dropped(
    app: App, telegram: FakeTelegramServer
) -> None:
    telegram.block(AIDA)
    await queue(app, AIDA, {"ky": "биринчи"})
    await queue(app, AIDA, {"ky": "экинчи"}, not_before=utcnow() + timedelta(hours=1))
    await queue(app, BOLOT, {"ru": "первое"})

    await worker(app).run_once()

    statuses = [(r.status, r.error) for r in await rows(app)]
    assert statuses[0] == ("dropped", "Forbidden: bot was blocked by the user")
    assert statuses[1][0] == "dropped"
    assert statuses[2] == ("sent", None)
    async with app.session_factory() as session:
        reachable = await session.scalar(select(User.is_reachable).where(User.telegram_id == AIDA))
    assert reachable is False


async def test_chat_not_found_fails_at_once_with_the_reason(
    app: App, telegram: FakeTelegramServer
) -> None:
    await add_participants(app.settings.database_url, Participant(3999, "ky"))  # unknown chat
    await queue(app, 3999, {"ky": "салам"})

    await worker(app).run_once()

    [row] = await rows(app)
    assert (row.status, row.error, row.attempts) == ("failed", "Bad Request: chat not found", 0)


async def test_server_errors_back_off_then_fail_after_the_last_attempt(
    app: App, telegram: FakeTelegramServer
) -> None:
    telegram.fail_next("sendMessage", status=502, description="Bad Gateway", times=2)
    await queue(app, AIDA, {"ky": "салам"})
    sender = worker(app)
    # The retry is made due at once below; a try occupies the chat for the chat interval.
    sender.pace = unpaced_chats(app)

    await sender.run_once()
    [row] = await rows(app)
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.next_attempt_at > utcnow()  # backed off, not due yet
    assert await sender.run_once() == 0

    await make_all_due(app)
    await sender.run_once()
    [row] = await rows(app)
    assert (row.status, row.attempts) == ("failed", 2)  # outbox_max_attempts = 2
    assert telegram.messages_to(AIDA) == []


async def test_429_is_waited_out_and_the_same_message_sent_at_a_slower_pace(
    app: App, telegram: FakeTelegramServer
) -> None:
    telegram.fail_next("sendMessage", status=429, retry_after=1)
    await queue(app, AIDA, {"ky": "салам"})
    sender = worker(app)

    await sender.run_once()
    [row] = await rows(app)
    assert (row.status, row.attempts) == ("sent", 0)
    assert [m.visible for m in telegram.messages_to(AIDA)] == ["салам"]
    calls = [c for c in telegram.calls_of("sendMessage") if int(c.params["chat_id"]) == AIDA]
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].at - calls[0].at >= 0.9  # retry_after was waited out
    schedule = sender.pace.schedule
    assert isinstance(schedule, LocalSchedule) and schedule.slowed


async def test_429_again_and_again_keeps_the_message_for_later(
    app: App, telegram: FakeTelegramServer
) -> None:
    telegram.fail_next("sendMessage", status=429, retry_after=1, times=RETRIES_AFTER_429 + 1)
    await queue(app, AIDA, {"ky": "салам"})
    sender = worker(app)

    await sender.run_once()
    [row] = await rows(app)
    assert (row.status, row.attempts) == ("pending", 0)
    assert row.next_attempt_at >= utcnow()
    assert telegram.rejected_429 == RETRIES_AFTER_429 + 1
    assert telegram.messages_to(AIDA) == []

    await make_all_due(app)
    sender.pace = unpaced_chats(app)  # the test does not wait out the chat's interval
    await sender.run_once()
    assert [r.status for r in await rows(app)] == ["sent"]
    assert [m.visible for m in telegram.messages_to(AIDA)] == ["салам"]


async def test_one_chat_gets_at_most_one_message_a_second(
    app: App, telegram: FakeTelegramServer
) -> None:
    await queue(app, AIDA, {"ky": "биринчи"})
    await queue(app, AIDA, {"ky": "экинчи"})
    await queue(app, BOLOT, {"ru": "первое"})

    await worker(app).run_once()

    assert [(r.status, r.params["texts"]) for r in await rows(app)] == [
        ("sent", {"ky": "биринчи"}),
        ("pending", {"ky": "экинчи"}),  # deferred, the other chat did not wait
        ("sent", {"ru": "первое"}),
    ]
    assert [m.visible for m in telegram.messages_to(AIDA)] == ["биринчи"]


async def test_after_a_crash_only_claims_older_than_the_lease_return(app: App) -> None:
    await queue(app, AIDA, {"ky": "эски"})
    await queue(app, BOLOT, {"ru": "свежее"})
    first, second = await rows(app)
    async with app.session_factory() as session:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == first.id)
            .values(status="sending", claimed_at=utcnow() - timedelta(minutes=5))
        )
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == second.id)
            .values(status="sending", claimed_at=utcnow())
        )
        await session.commit()

    assert await worker(app).recover() == 1
    assert [r.status for r in await rows(app)] == ["pending", "sending"]


async def test_a_claimed_row_is_not_claimed_again(app: App) -> None:
    await queue(app, AIDA, {"ky": "салам"})
    one, other = worker(app), worker(app)

    claimed = await one.claim(10)

    assert [c.chat_id for c in claimed] == [AIDA]
    assert await other.claim(10) == []


WRITES = ("BEGIN IMMEDIATE", "INSERT", "UPDATE", "DELETE")


def is_worker_look(sql: str) -> bool:
    return "min(outbox_messages.next_attempt_at)" in sql


def is_progress_look(sql: str) -> bool:
    return "progress_message_id IS NOT NULL" in sql and "JOIN" not in sql


async def test_an_idle_bot_only_looks_and_a_new_row_still_goes_out(
    app: App, telegram: FakeTelegramServer
) -> None:
    """With nothing due, the outbox worker and the announcements' progress loop read without
    a write lock, round after round (the loop's first round compacts, and writes)."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        statements.append(sql.strip())

    event.listen(app.engine.sync_engine, "before_cursor_execute", record)
    delivery = asyncio.create_task(run_delivery(app))
    try:
        await wait_until(
            lambda: (
                sum(map(is_worker_look, statements)) >= 2
                and sum(map(is_progress_look, statements)) >= 2
            )
        )
        first_look = next(i for i, sql in enumerate(statements) if is_progress_look(sql))
        writes = [sql for sql in statements[first_look:] if sql.upper().startswith(WRITES)]
        assert writes == []

        await queue(app, AIDA, {"ky": "Салам", "ru": "Привет"})
        await wait_until(lambda: any(m.text == "Салам" for m in telegram.messages_to(AIDA)))
    finally:
        app.stopping.set()
        await asyncio.wait_for(delivery, timeout=30)
        event.remove(app.engine.sync_engine, "before_cursor_execute", record)
