"""Engine and session factory. SQLite gets WAL, foreign keys, a busy timeout and write-first
transactions; PostgreSQL runs the same code unchanged.

Two things make one SQLite connection serve a burst of updates:
- statements run on the event loop, not through aiosqlite's worker thread (four thread
  hand-offs per SELECT cost several times the statement itself). Only a wait for another
  process's lock goes through the thread, so the loop never sleeps in SQLite's busy handler:
  BEGIN IMMEDIATE is tried on the loop without waiting and, if the lock is taken, waited for
  in the thread; PRAGMA and VACUUM always go there;
- the pool hands a returned connection to the longest waiter (first come, first served).
  SQLAlchemy's asyncio queue lets a running task take a connection ahead of those waiting,
  so under 1,000 people some waited past the pool timeout."""

import asyncio
import logging
import sqlite3
from collections import deque
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import aiosqlite
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import AsyncAdaptedQueuePool
from sqlalchemy.util import await_
from sqlalchemy.util.queue import AsyncAdaptedQueue, Empty

SQLITE_BUSY_TIMEOUT_MS = 15_000
# How long an update may wait for a connection (SQLite's one, PostgreSQL's pool): a burst of
# a thousand people on a busy machine queues for tens of seconds, and a late reply is better
# than a lost update (SQLAlchemy's default is 30 s).
POOL_TIMEOUT_S = 180
# Set for one unit of work (an update, by the database middleware) to a flag the pool raises
# once that unit has had a connection: its later checkouts (after the commit before each
# Telegram call) go ahead of units that have not started, so those under way finish first.
current_work: ContextVar[list[bool] | None] = ContextVar("kenesh_current_work", default=None)
# Execution option: this transaction only reads, so on SQLite it begins DEFERRED and takes
# no write lock (see read_only).
READ_ONLY = "kenesh_read_only"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


class FairQueue(AsyncAdaptedQueue[Any]):
    """The pool's queue, first come first served: a returned connection goes straight to
    the longest waiter, and nobody takes one while others wait. Units of work already under
    way (see current_work) wait in a queue of their own that is served first."""

    def __init__(self, maxsize: int = 0, use_lifo: bool = False) -> None:
        super().__init__(maxsize, use_lifo)
        self._under_way: deque[asyncio.Future[Any]] = deque()
        self._waiters: deque[asyncio.Future[Any]] = deque()

    def _next_waiter(self) -> asyncio.Future[Any] | None:
        for queue in (self._under_way, self._waiters):
            while queue and queue[0].done():
                queue.popleft()
            if queue:
                return queue[0]
        return None

    def put_nowait(self, item: Any) -> None:
        waiter = self._next_waiter()
        if waiter is not None:
            (self._under_way if self._under_way else self._waiters).popleft()
            waiter.set_result(item)
            return
        super().put_nowait(item)

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        self.put_nowait(item)

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        work = current_work.get()
        if self._next_waiter() is None and not self.empty():
            item = self.get_nowait()
        elif not block:
            raise Empty()
        else:
            item = await_(self._wait(timeout, under_way=bool(work and work[0])))
        if work is not None:
            work[0] = True
        return item

    async def _wait(self, timeout: float | None, *, under_way: bool) -> Any:
        waiter = asyncio.get_running_loop().create_future()
        (self._under_way if under_way else self._waiters).append(waiter)
        try:
            await asyncio.wait((waiter,), timeout=timeout)
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                # Cancelled just as a connection arrived: pass it on, don't lose it.
                self.put_nowait(waiter.result())
            waiter.cancel()
            raise
        if not waiter.done():
            waiter.cancel()
            raise Empty()
        return waiter.result()


class FairQueuePool(AsyncAdaptedQueuePool):
    _queue_class = FairQueue  # type: ignore[assignment]


# SQLAlchemy names a pool's logger after its class; SQLAlchemy's own loggers stay quiet
# unless asked (echo_pool), and so does this one.
logging.getLogger(f"{FairQueuePool.__module__}.{FairQueuePool.__name__}").setLevel(logging.WARNING)


class InlineConnection(aiosqlite.Connection):
    """An aiosqlite connection whose statements run on the event loop (see the module doc)."""

    async def _execute(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        if self._connection is None:
            return await super()._execute(fn, *args, **kwargs)
        if _takes_write_lock(args):
            # Yields to the loop, as the thread's hand-off did: a task that writes in a
            # loop (a sweep, a burst of submissions) must not keep every update waiting.
            await asyncio.sleep(0)
            try:
                return self._without_waiting(fn, *args, **kwargs)
            except _Busy:
                return await super()._execute(fn, *args, **kwargs)
        if _may_wait(args):
            return await super()._execute(fn, *args, **kwargs)
        return fn(*args, **kwargs)

    def _without_waiting(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Runs `fn` on the loop unless another process holds the lock it needs: then it
        raises _Busy at once, and the caller waits for the lock in the worker thread."""
        connection = self._connection
        assert connection is not None
        connection.execute("PRAGMA busy_timeout=0")
        try:
            return fn(*args, **kwargs)
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode == sqlite3.SQLITE_BUSY:
                raise _Busy from error
            raise
        finally:
            connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


class _Busy(Exception):
    """Another process holds the lock a statement needs."""


def _statement_head(args: tuple[Any, ...]) -> str:
    if not args or not isinstance(args[0], str):
        return ""
    return args[0].lstrip()[:15].upper()


def _takes_write_lock(args: tuple[Any, ...]) -> bool:
    # Every write transaction begins with it: free almost always, so it runs on the loop,
    # sparing the thread's hand-offs (bench/RESULTS.md); taken, it waits in the thread.
    return _statement_head(args).startswith(("BEGIN IMMEDIATE", "BEGIN EXCLUSIVE"))


def _may_wait(args: tuple[Any, ...]) -> bool:
    return _statement_head(args).startswith(("PRAGMA", "VACUUM"))


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    if not is_sqlite(url):
        options: dict[str, Any] = {
            "pool_pre_ping": True,
            "poolclass": FairQueuePool,
            "pool_timeout": POOL_TIMEOUT_S,
        }
        options.update(kwargs)
        return create_async_engine(url, **options)

    database = make_url(url).database or ":memory:"
    if database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)

    async def connect() -> aiosqlite.Connection:
        def connector() -> sqlite3.Connection:
            return sqlite3.connect(
                database, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )

        connection = InlineConnection(connector, iter_chunk_size=64)
        connection._thread.daemon = True
        return await connection

    # One connection per process: SQLite has one writer anyway, and waiting for the pool
    # is an asyncio wait, while waiting for SQLite's lock is its busy handler sleeping.
    # So code inside a transaction must never open a second session (it would wait here).
    options = {
        "pool_size": 1,
        "max_overflow": 0,
        "pool_timeout": POOL_TIMEOUT_S,
        "poolclass": FairQueuePool,
    }
    options.update(kwargs)
    engine = create_async_engine(url, async_creator=connect, **options)
    _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A deferred transaction that reads and then writes fails at once with "database is
        # locked" when another writer got there first; taking the write lock up front waits.
        # A transaction that only reads (READ_ONLY) needs no lock in WAL mode.
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def read_only(session: AsyncSession) -> None:
    """Begins the session's transaction as one that only reads (a sweep checking whether
    anything is due): on SQLite it takes no write lock, so an idle bot writes nothing.
    Call it before the session's first statement; writing in it is a mistake (on SQLite it
    may fail with "database is locked" while another process writes)."""
    await session.connection(execution_options={READ_ONLY: True})
