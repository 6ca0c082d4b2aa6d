"""On PostgreSQL, wakes this process's outbox worker when any process commits outbox rows.

A transaction that adds rows also sends NOTIFY kenesh_outbox (bot/services/outbox.py), which
PostgreSQL delivers only once it commits. One dedicated connection per worker LISTENs on the
channel; it is not taken from the pool, where it would hold a connection forever. If the
connection cannot be made or is lost, the worker still looks every IDLE_POLL_SECONDS, and
the listener tries again after growing waits: it never stops the worker."""

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.services.outbox import NOTIFY_CHANNEL

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10.0  # to connect, and for the ping
FIRST_RETRY_SECONDS = 1.0
MAX_RETRY_SECONDS = 60.0
# A connection cut off without a word (a network partition) is not noticed by waiting
# alone: a tiny query now and then finds it out.
PING_SECONDS = 60.0


class OutboxListener:
    """LISTENs on the outbox's channel and calls `wake` on each notification, and once each
    time it starts listening (rows may have been committed while it was not)."""

    def __init__(self, connect_args: dict[str, Any], wake: Callable[[], None]) -> None:
        self._connect_args = connect_args
        self._wake = wake
        self._task: asyncio.Task[None] | None = None
        self._connection: Any = None
        self._outage = False  # said so already: the next failures are logged quietly
        self.listening = False
        self.notifications = 0  # how many arrived, for the tests
        self.connections = 0  # how many times it started listening

    @property
    def server_pid(self) -> int | None:
        """The listening connection's server process, while there is one."""
        return self._connection.get_server_pid() if self._connection is not None else None

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        # Waits for it to end without taking its CancelledError for the caller's own.
        await asyncio.wait({self._task})
        self._task = None

    async def _run(self) -> None:
        retry = FIRST_RETRY_SECONDS
        while True:
            try:
                await self._listen()
                retry = FIRST_RETRY_SECONDS  # listened, then lost the connection
            except Exception as error:
                # One line per outage; the next failures of the same outage are quieter.
                log.log(
                    logging.DEBUG if self._outage else logging.WARNING,
                    "outbox listener cannot listen (%s: %s); looking every few seconds "
                    "instead, trying again in %.0f s",
                    type(error).__name__,
                    error,
                    retry,
                )
                self._outage = True
            await asyncio.sleep(retry)
            retry = min(retry * 2, MAX_RETRY_SECONDS)

    async def _listen(self) -> None:
        """Listens until the connection is lost (returns) or cannot be used (raises)."""
        import asyncpg  # type: ignore[import-untyped]  # PostgreSQL only: SQLite never loads it

        connection = await asyncpg.connect(**self._connect_args, timeout=TIMEOUT_SECONDS)
        lost = asyncio.Event()
        try:
            connection.add_termination_listener(lambda _connection: lost.set())
            await connection.add_listener(NOTIFY_CHANNEL, self._notified)
            self._connection, self.listening = connection, True
            self.connections += 1
            if self._outage:
                log.info("outbox listener is listening again")
                self._outage = False
            self._wake()
            while not await _lost_within(lost, PING_SECONDS):
                await connection.fetchval("SELECT 1", timeout=TIMEOUT_SECONDS)
            log.warning("outbox listener lost its connection; looking every few seconds meanwhile")
            self._outage = True
        finally:
            self._connection, self.listening = None, False
            # Closing politely would wait on a connection that may be dead.
            connection.terminate()

    def _notified(self, _connection: Any, _pid: int, _channel: str, _payload: str) -> None:
        self.notifications += 1
        self._wake()


async def _lost_within(lost: asyncio.Event, seconds: float) -> bool:
    try:
        await asyncio.wait_for(lost.wait(), seconds)
    except TimeoutError:
        return False
    return True


def _connect_args(engine: AsyncEngine) -> dict[str, Any]:
    """asyncpg's arguments for the app's database URL, made as the engine makes them (so
    `?ssl=require` and the like mean the same), less SQLAlchemy's own options."""
    _, options = engine.dialect.create_connect_args(engine.url)
    for own in ("prepared_statement_cache_size", "prepared_statement_name_func"):
        options.pop(own, None)
    return dict(options)


def listener_for(
    session_factory: async_sessionmaker[AsyncSession], wake: Callable[[], None]
) -> OutboxListener | None:
    """A listener for a worker whose database is PostgreSQL; None on SQLite."""
    engine = session_factory.kw.get("bind")
    if not isinstance(engine, AsyncEngine) or engine.dialect.name != "postgresql":
        return None
    return OutboxListener(_connect_args(engine), wake)
