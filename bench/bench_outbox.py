"""The outbox under Telegram's limits, and across a SIGKILL.

The fake Bot API server of the tests enforces L messages a second (429 with retry_after,
refusing everything for that long, above it) and answers 403 for 3 % of the recipients. An
announcement to N people is started (its recipients are fanned out by the worker); the
delivery worker runs in its own process, told to keep to R a second (TELEGRAM_RATE_PER_SECOND
and OUTBOX_RATE_PER_SECOND). Reported: achieved rate / R, lost and duplicated messages; then
the same with the worker killed (SIGKILL) halfway and started again.

    .venv/bin/python -m bench.bench_outbox [--people 10000] [--limit 30] [--rate 28]
"""

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from bot.services import broadcasts, users
from bot.services.broadcasts import Audience
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade_to_head
from db.models import OutboxMessage, User, utcnow
from db.seed import seed_reference_data
from tests.fake_bot_api import FakeTelegramServer

FIRST_ID = 10_000_000


async def prepare(database_url: str, people: int) -> None:
    engine = create_engine(database_url)
    await upgrade_to_head(engine)
    async with create_session_factory(engine)() as session:
        await seed_reference_data(session)
        now = utcnow()
        session.add_all(
            User(
                telegram_id=FIRST_ID + i,
                language="ky" if i % 2 else "ru",
                consent="given",
                full_name="Катышуучу",
                region_code="osh",
                category_code="citizen",
                registered_at=now,
            )
            for i in range(people)
        )
        await session.flush()
        author = await users.get_or_create(session, telegram_id=FIRST_ID - 1)
        await broadcasts.start(
            session,
            author=author,
            text_ky="Форум 1-августта Ош шаарында башталат.",
            text_ru="Форум начнётся 1 августа в городе Ош.",
            attachment_kind=None,
            attachment_ref=None,
            audience=Audience("all"),
        )
        await session.commit()
    await engine.dispose()


async def counts(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url)
    async with create_session_factory(engine)() as session:
        query = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        result = {status: n for status, n in (await session.execute(query)).all()}
    await engine.dispose()
    return result


def spawn_worker(database_url: str, api_url: str, rate: float) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "BOT_TOKEN": "123456789:AAHtestTOKENtestTOKENtestTOKENtest12",
        "DATABASE_URL": database_url,
        "TELEGRAM_API_URL": api_url,
        "OUTBOX_RATE_PER_SECOND": str(rate),
        "TELEGRAM_RATE_PER_SECOND": str(rate),
        "OUTBOX_CLAIM_LEASE_SECONDS": "2",
    }
    return asyncio.create_subprocess_exec(  # type: ignore[return-value]
        sys.executable, "-m", "bench.bench_outbox", "worker", env=env
    )


async def run_worker() -> None:
    """The child: only the delivery worker, as the bot runs it."""
    from bot.app import create_bot
    from bot.config import Settings
    from bot.delivery import create_worker
    from bot.i18n import create_i18n

    settings = Settings()  # type: ignore[call-arg]
    engine = create_engine(settings.database_url)

    class Parts:  # what create_worker needs of the App
        pass

    app = Parts()
    app.settings = settings  # type: ignore[attr-defined]
    app.bot = create_bot(settings)  # type: ignore[attr-defined]
    app.session_factory = create_session_factory(engine)  # type: ignore[attr-defined]
    app.i18n = create_i18n(settings.locales_dir)  # type: ignore[attr-defined]
    app.redis = None  # type: ignore[attr-defined]
    await create_worker(app).run()  # type: ignore[arg-type]


async def wait_done(database_url: str, total: int, timeout: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        state = await counts(database_url)
        waiting = sum(state.get(s, 0) for s in ("pending", "sending", "inflight"))
        if waiting == 0 and sum(state.values()) == total:
            return time.perf_counter() - start
        await asyncio.sleep(0.5)
    raise TimeoutError(f"not done in {timeout} s: {await counts(database_url)}")


def most_in_a_second(times: list[float]) -> int:
    """The most calls Telegram saw within any one second (a sliding window)."""
    most, first = 0, 0
    for last, at in enumerate(times):
        while at - times[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


def tally(server: FakeTelegramServer, people: int, blocked: set[int]) -> tuple[int, int]:
    lost = duplicated = 0
    for chat in range(FIRST_ID, FIRST_ID + people):
        got = len(server.messages_to(chat))
        if chat not in blocked and got == 0:
            lost += 1
        duplicated += max(0, got - 1)
    return lost, duplicated


async def scenario(people: int, limit: float, rate: float, kill_halfway: bool) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="kenesh-outbox-"))
    database_url = f"sqlite+aiosqlite:///{workdir / 'outbox.sqlite3'}"
    await prepare(database_url, people)
    async with FakeTelegramServer() as server:
        server.add_users(range(FIRST_ID - 1, FIRST_ID + people))
        blocked = {FIRST_ID + i for i in range(people) if i % 100 < 3}  # 3 %
        for chat in blocked:
            server.block(chat)
        server.set_rate_limit(per_second=limit, retry_after=1)
        worker = await spawn_worker(database_url, server.base_url, rate=rate)
        started = time.perf_counter()
        if kill_halfway:
            while server.sent_count < people // 2:  # noqa: ASYNC110 - another process sends
                await asyncio.sleep(0.05)
            worker.send_signal(signal.SIGKILL)
            await worker.wait()
            print(f"  killed the worker after {server.sent_count} messages")
            worker = await spawn_worker(database_url, server.base_url, rate=rate)
        await wait_done(database_url, people, timeout=people / rate * 3 + 60)
        seconds = time.perf_counter() - started
        worker.terminate()
        await worker.wait()
        lost, duplicated = tally(server, people, blocked)
        state = await counts(database_url)
        # The pace while sending: from the first message to the last, as Telegram sees it.
        # Calls: messages and the 403s of blocked people, as Telegram counts them.
        times = sorted(c.at for c in server.calls if c.method == "sendMessage" and c.status != 429)
        achieved = (len(times) - 1) / (times[-1] - times[0])
        label = "killed halfway and restarted" if kill_halfway else "uninterrupted"
        print(f"{label}: {people} recipients, limit L = {limit:g}/s, rate R = {rate:g}/s")
        print(f"  delivered {server.sent_count}; {seconds:.1f} s from start to the last row done")
        print(f"  calls/s from first to last: {achieved:.2f}/s = {achieved / rate:.3f} R")
        print(f"  most calls in any one second: {most_in_a_second(times)}")
        print(f"  429 answers: {server.rejected_429}; rows: {state}")
        print(f"  lost: {lost}; sent twice: {duplicated}")


def main() -> None:
    if sys.argv[1:2] == ["worker"]:
        asyncio.run(run_worker())
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--limit", type=float, default=30)
    parser.add_argument("--rate", type=float, default=28)
    args = parser.parse_args()
    asyncio.run(scenario(args.people, args.limit, args.rate, kill_halfway=False))
    asyncio.run(scenario(args.people, args.limit, args.rate, kill_halfway=True))


if __name__ == "__main__":
    main()
