"""On PostgreSQL, a transaction that adds outbox rows sends NOTIFY, and every process's idle
outbox worker LISTENs: a row committed by another process goes out at once, not at the next
look. A rolled-back transaction wakes nobody, and a lost listening connection comes back."""

import asyncio
import logging
import socket
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select, text

from bot.app import App, build_app
from bot.delivery import DeliveryWorker, create_worker, listen
from bot.delivery import worker as worker_module
from bot.delivery.listen import OutboxListener, listener_for
from bot.services import outbox
from db.models import User
from tests.db_fixtures import session_on
from tests.e2e import wait_until
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import make_settings
from tests.people import Participant, add_participants

AIDA = 3101


@pytest.fixture
async def app(
    database_url: str, telegram: FakeTelegramServer, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[App]:
    if not database_url.startswith("postgresql"):
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's: run with TEST_DATABASE_URL (make test)")
    # Only a notification may wake the worker within a test, not its look every 2 s...
    monkeypatch.setattr(worker_module, "IDLE_POLL_SECONDS", 60.0)
    # ...nor this process's own signal: the rows come "from another process".
    monkeypatch.setattr(outbox, "on_rows_added", lambda _listener: None)
    app = await build_app(make_settings(database_url, telegram.base_url))
    await add_participants(database_url, Participant(AIDA, "ky"))
    telegram.add_users([AIDA])
    try:
        yield app
    finally:
        await app.close()


async def queue_elsewhere(database_url: str, text_ky: str, *, commit: bool = True) -> None:
    """Adds a row through an engine of its own, as another process would."""
    async with session_on(database_url) as session:
        user_id = await session.scalar(select(User.id).where(User.telegram_id == AIDA))
        assert user_id is not None
        await outbox.enqueue(
            session,
            user_id=user_id,
            kind="test",
            template="text",
            params={"texts": {"ky": text_ky}},
        )
        if commit:
            await session.commit()
        else:
            await session.rollback()


class Running:
    """A worker running in the background, and whether it sleeps with nothing to wake it
    but a notification (listening, nothing due, no wake pending)."""

    def __init__(self, worker: DeliveryWorker) -> None:
        self.worker = worker
        self.asleep = asyncio.Event()
        idle = worker._idle

        async def watched_idle() -> None:
            if self.listener.listening and not worker._rows_added.is_set():
                self.asleep.set()
            try:
                await idle()
            finally:
                self.asleep.clear()

        worker._idle = watched_idle  # type: ignore[method-assign]

    @property
    def listener(self) -> OutboxListener:
        assert self.worker.listener is not None
        return self.worker.listener

    def sleeping(self) -> bool:
        """Asleep, listening, and no wake on its way (a wake clears `asleep` only once the
        worker gets to run)."""
        return (
            self.asleep.is_set()
            and self.listener.listening
            and not self.worker._rows_added.is_set()
        )


def sent(telegram: FakeTelegramServer, text_ky: str) -> bool:
    return any(m.text == text_ky for m in telegram.messages_to(AIDA))


async def test_a_row_committed_by_another_process_wakes_the_idle_worker(
    app: App, telegram: FakeTelegramServer
) -> None:
    running = Running(create_worker(app))
    task = asyncio.create_task(running.worker.run(app.stopping))
    try:
        await wait_until(running.sleeping)

        await queue_elsewhere(app.settings.database_url, "Салам")

        # Within seconds, not at the next look a minute later.
        await wait_until(lambda: sent(telegram, "Салам"), timeout=10)
        assert running.listener.notifications >= 1
    finally:
        app.stopping.set()
        await asyncio.wait_for(task, timeout=30)
    assert running.worker.listener is not None and not running.worker.listener.listening


async def test_a_rolled_back_transaction_notifies_nobody(app: App) -> None:
    woken: list[None] = []
    listener = listener_for(app.session_factory, lambda: woken.append(None))
    assert listener is not None
    listener.start()
    try:
        await wait_until(lambda: listener.listening)

        await queue_elsewhere(app.settings.database_url, "жок", commit=False)
        await queue_elsewhere(app.settings.database_url, "бар")

        # Notifications arrive in commit order: had the rollback sent one, it would be here
        # before the committed row's.
        await wait_until(lambda: listener.notifications >= 1)
        assert listener.notifications == 1
    finally:
        await listener.stop()


async def test_the_listener_comes_back_after_its_connection_is_cut(
    app: App, telegram: FakeTelegramServer, caplog: pytest.LogCaptureFixture
) -> None:
    running = Running(create_worker(app))
    task = asyncio.create_task(running.worker.run(app.stopping))
    try:
        await wait_until(running.sleeping)
        pid = running.listener.server_pid
        async with session_on(app.settings.database_url) as session:
            await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

        await wait_until(lambda: running.listener.connections == 2 and running.sleeping())
        assert running.listener.server_pid != pid
        assert "outbox listener lost its connection" in caplog.text

        await queue_elsewhere(app.settings.database_url, "Кайра")
        await wait_until(lambda: sent(telegram, "Кайра"), timeout=10)
    finally:
        app.stopping.set()
        await asyncio.wait_for(task, timeout=30)


async def test_a_listener_that_cannot_connect_keeps_trying_and_never_raises(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.delivery.listen")
    monkeypatch.setattr(listen, "FIRST_RETRY_SECONDS", 0.01)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
        port = closed.getsockname()[1]
        options = {"host": "127.0.0.1", "port": port, "user": "kenesh", "password": "s3cret-pw"}
        listener = OutboxListener(options, lambda: None)
        listener.start()
        try:
            await wait_until(lambda: len(records(caplog)) >= 3)
        finally:
            await listener.stop()
    # One warning for the outage, not one per attempt; never the password.
    assert [r.levelname for r in records(caplog)][:3] == ["WARNING", "DEBUG", "DEBUG"]
    assert "s3cret-pw" not in caplog.text
    assert not listener.listening


def records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "bot.delivery.listen"]
