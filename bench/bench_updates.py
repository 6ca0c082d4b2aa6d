"""Updates per second through the whole stack, against a bare aiogram echo bot.

1,000 distinct people each go through /start, the language button, consent, their name
and the first region button (5 updates each, 5,000 in all), sent over HTTP by the fake Bot
API server of the tests. The bot runs in a process of its own, exactly as `python -m bot`
runs it (`bot.app.run_polling`: updates handled as tasks, DB conversation state,
middlewares, the outbox worker and the scheduler's sweeps); this process holds the fake
server and the people. The echo bot, also in its own process, answers every text and button
on the same kind of server in the same run. Reported: updates a second for both and their
ratio, the 95th percentile time from an update's arrival to the bot's first reply, steps
that got no answer within 600 s (failures), and the bot process's resident memory.

Any pace the bot keeps towards Telegram is set out of the way (this measures CPU, not
Telegram's limits): every rate setting is raised to 100,000 a second.

--journey start: each person sends /start five times instead (5,000 updates at 1,000
people): the greeting alone, the cheapest reply the bot has.

--idle SECONDS: the bot alone with nobody writing, after a warm-up: how many statements and
write transactions it runs in that time, and whose they are, and its resident memory.

    .venv/bin/python -m bench.bench_updates [--people 1000] [--journey start] [--database-url URL]
    .venv/bin/python -m bench.bench_updates --idle 30 [--database-url URL]
"""

import argparse
import asyncio
import collections
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.fake_bot_api import FakeTelegramServer, Person

# What each person sends, in order: (kind, payload, messages Kenesh sends or edits in reply).
# A step followed by a button press waits for that button instead of counting messages.
JOURNEY = [
    ("text", "/start", 1),  # greeting with the language buttons
    ("button", "lang:ky", 1),  # the greeting becomes the consent
    ("button", "consent:1", 2),  # buttons removed, thanks with the first question
    ("text", "Айгүл Асанова", 1),  # the region question
    ("button", "pick:residence:batken", 2),  # buttons removed, the category question
]
# /start alone, as often as the journey has steps: the greeting with the language buttons.
START_ONLY = [("text", "/start", 1)] * len(JOURNEY)
JOURNEYS = {"registration": JOURNEY, "start": START_ONLY}
STEP_TIMEOUT = 600.0  # a loaded machine queues a burst of 1,000 people for minutes
FAST = 100_000.0


def _with_button(server: FakeTelegramServer, user_id: int, data: str) -> dict[str, Any] | None:
    """The newest message in the chat that shows a button with this callback data."""
    for message in server.current_messages(user_id):
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        if any(button.get("callback_data") == data for row in rows for button in row):
            return message
    return None


async def _wait_button(server: FakeTelegramServer, user_id: int, data: str) -> None:
    deadline = time.monotonic() + STEP_TIMEOUT
    while _with_button(server, user_id, data) is None:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no button {data} for {user_id}")
        count = len(server.messages_to(user_id))
        await server.wait_count(user_id, count + 1, timeout=deadline - time.monotonic())


async def drive(
    server: FakeTelegramServer,
    people: int,
    first_id: int,
    *,
    echo: bool,
    journey: list[tuple[str, str, int]] = JOURNEY,
) -> tuple[float, list[float], int]:
    """All people at once, each sending their next step once the bot has answered the
    previous one in full; returns (seconds, update-to-first-reply latencies, failures)."""
    latencies: list[float] = []
    failures = 0
    start = time.perf_counter()

    async def one(user_id: int) -> None:
        nonlocal failures
        someone = Person(server, user_id, first_name="Айгүл", language_code="ky")
        server.add_user(user_id)
        for index, (kind, payload, replies) in enumerate(journey):
            before = len(server.messages_to(user_id))
            if kind == "text":
                update = {"message": someone._message(text=payload)}
                if payload.startswith("/"):
                    update["message"]["entities"] = [
                        {"type": "bot_command", "offset": 0, "length": len(payload)}
                    ]
            else:
                message = _with_button(server, user_id, payload) or someone._message(text="…")
                update = {"callback_query": someone._callback_payload(payload, message)}
            sent_at = time.perf_counter()
            server.push_update(update)
            try:
                await server.wait_count(user_id, before + 1, timeout=STEP_TIMEOUT)
                latencies.append(time.perf_counter() - sent_at)
                following = journey[index + 1] if index + 1 < len(journey) else None
                if echo:
                    continue
                if following is not None and following[0] == "button":
                    await _wait_button(server, user_id, following[1])
                else:
                    await server.wait_count(user_id, before + replies, timeout=STEP_TIMEOUT)
            except TimeoutError:
                failures += 1
                return

    await asyncio.gather(*(one(first_id + i) for i in range(people)))
    return time.perf_counter() - start, latencies, failures


# --- the bot's process -------------------------------------------------------------------


def _fast_settings(database_url: str, api_url: str) -> Any:
    from bot.config import Settings
    from tests.harness import make_settings

    overrides: dict[str, object] = {"outbox_chat_interval_seconds": 0}
    for name in Settings.model_fields:
        if "rate" in name and ("second" in name or "minute" in name):
            overrides[name] = FAST
    return make_settings(database_url, api_url, **overrides)


class StatementCounter:
    """Counts statements and write transactions (SQLite: BEGIN IMMEDIATE; PostgreSQL:
    transactions that ran an INSERT, UPDATE or DELETE), each under the code that ran it."""

    def __init__(self) -> None:
        self.statements: collections.Counter[str] = collections.Counter()
        self.writes: collections.Counter[str] = collections.Counter()
        self.counting = False

    def start(self) -> None:
        self.counting = True

    @staticmethod
    def _caller() -> str:
        # Statements run in SQLAlchemy's greenlet, whose stack does not reach the caller;
        # the asyncio task driving it does: delivery, scheduler jobs, updates.
        task = asyncio.current_task()
        if task is None:
            return "no task"
        coro = task.get_coro()
        name = getattr(coro, "__qualname__", type(coro).__name__)
        return f"{task.get_name()} ({name})" if not task.get_name().startswith("Task-") else name

    def install(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        @event.listens_for(Engine, "before_cursor_execute")
        def _statement(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
            if not self.counting:
                return
            caller = self._caller()
            self.statements[caller] += 1
            head = sql.lstrip()[:16].upper()
            if head.startswith(("BEGIN IMMEDIATE", "INSERT", "UPDATE", "DELETE")):
                self.writes[caller] += 1


def _memory(pid: int) -> dict[str, float]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0]) / 1024
    return values


def _cpu_seconds(pid: int) -> float:
    """The process's CPU time so far, user and system."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def run_kenesh_process(database_url: str, api_url: str, count_after: float | None) -> None:
    """The bot as `python -m bot` runs it; with `count_after`, its statements are counted from
    then on (--idle). The throughput runs count nothing: the counter's listener would run in
    the bot for every statement."""
    from bot.app import run_polling

    counter = StatementCounter()
    if count_after is not None:
        counter.install()
        asyncio.get_running_loop().call_later(count_after, counter.start)
    try:
        await run_polling(_fast_settings(database_url, api_url))
    finally:
        report = {
            "statements": dict(counter.statements),
            "writes": {k: v for k, v in counter.writes.items() if v},
        }
        print("COUNTS " + json.dumps(report), flush=True)


async def run_echo_process(api_url: str) -> None:
    from aiogram import Bot, Dispatcher, F, Router
    from aiogram.client.default import DefaultBotProperties
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.enums import ParseMode
    from aiogram.types import CallbackQuery, Message

    from tests.harness import TEST_TOKEN

    router = Router()

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    @router.callback_query()
    async def pressed(callback: CallbackQuery) -> None:
        await callback.answer()
        if callback.message:
            await callback.message.answer(callback.data or "")

    bot = Bot(
        TEST_TOKEN,
        session=AiohttpSession(api=TelegramAPIServer.from_base(api_url)),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )
    dp = Dispatcher()
    dp.include_router(router)
    await dp.start_polling(bot, handle_signals=True)


# --- this process: the fake server and the people ----------------------------------------


async def _start_bot(
    server: FakeTelegramServer, kind: str, database_url: str, count_after: float | None = None
) -> asyncio.subprocess.Process:
    counting = ["--count-after", str(count_after)] if count_after is not None else []
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.bench_updates",
        "--run-bot",
        kind,
        "--api",
        server.base_url,
        "--database-url",
        database_url,
        *counting,
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
    )
    deadline = time.monotonic() + 120
    while not server._polling:  # a getUpdates is waiting: the bot is up
        if time.monotonic() > deadline or process.returncode is not None:
            raise RuntimeError(f"the {kind} bot did not start polling")
        await asyncio.sleep(0.1)
    return process


async def _stop_bot(process: asyncio.subprocess.Process) -> dict[str, Any]:
    process.send_signal(signal.SIGINT)
    out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    for line in out.decode().splitlines():
        if line.startswith("COUNTS "):
            return dict(json.loads(line[len("COUNTS ") :]))
    return {}


async def measure(
    kind: str, people: int, database_url: str, journey: list[tuple[str, str, int]]
) -> dict[str, Any]:
    async with FakeTelegramServer(rate_per_second=None) as server:
        process = await _start_bot(server, kind, database_url)
        try:
            first_id = 5_000_000 if kind == "echo" else 1_000_000
            cpu_before = _cpu_seconds(process.pid)
            seconds, latencies, failures = await drive(
                server, people, first_id, echo=kind == "echo", journey=journey
            )
            cpu = _cpu_seconds(process.pid) - cpu_before
            memory = _memory(process.pid)
        finally:
            await _stop_bot(process)
    return {
        "seconds": seconds,
        "cpu": cpu,
        "latencies": latencies,
        "failures": failures,
        **memory,
    }


async def idle(seconds: float, database_url: str) -> None:
    warm_up = 15.0
    async with FakeTelegramServer(rate_per_second=None) as server:
        process = await _start_bot(server, "kenesh", database_url, count_after=warm_up)
        try:
            await asyncio.sleep(warm_up + seconds)  # a bench: the idle time is what we measure
            memory = _memory(process.pid)
        finally:
            counts = await _stop_bot(process)
    statements, writes = counts.get("statements", {}), counts.get("writes", {})
    print(
        f"database: {database_url.split('://')[0]}; idle for {seconds:.0f} s after {warm_up:.0f} s"
    )
    print(
        f"statements: {sum(statements.values())}; write statements or BEGIN IMMEDIATE: "
        f"{sum(writes.values())}"
    )
    for caller, n in sorted(statements.items(), key=lambda kv: -kv[1]):
        print(f"  {n:6} statements, {writes.get(caller, 0):6} writes  {caller}")
    print(
        f"bot process memory: {memory.get('VmRSS', 0):.1f} MiB resident "
        f"(peak {memory.get('VmHWM', 0):.1f} MiB)"
    )


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) > 1 else float("nan")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--journey", choices=sorted(JOURNEYS), default="registration")
    parser.add_argument("--idle", type=float, default=0, help="seconds of idle to measure")
    parser.add_argument("--run-bot", choices=("kenesh", "echo"), help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    parser.add_argument("--count-after", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_bot == "kenesh":
        await run_kenesh_process(args.database_url, args.api, args.count_after)
        return
    if args.run_bot == "echo":
        await run_echo_process(args.api)
        return
    workdir = Path(tempfile.mkdtemp(prefix="kenesh-bench-"))
    database_url = args.database_url or f"sqlite+aiosqlite:///{workdir / 'bench.sqlite3'}"
    if args.idle:
        await idle(args.idle, database_url)
        return
    journey = JOURNEYS[args.journey]
    updates = args.people * len(journey)
    echo = await measure("echo", args.people, database_url, journey)
    kenesh = await measure("kenesh", args.people, database_url, journey)
    echo_rate, rate = updates / echo["seconds"], updates / kenesh["seconds"]
    print(
        f"database: {database_url.split('://')[0]}; journey: {args.journey}; "
        f"people: {args.people}; updates: {updates}"
    )
    for name, value, result in (("echo bot", echo_rate, echo), ("kenesh", rate, kenesh)):
        print(
            f"{name:9} {value:8.1f} updates/s, p95 update->reply "
            f"{p95(result['latencies']) * 1000:7.1f} ms, failures {result['failures']}, "
            f"CPU {result['cpu'] / updates * 1000:.2f} ms per update, "
            f"process memory {result.get('VmRSS', 0):.0f} MiB (peak {result.get('VmHWM', 0):.0f})"
        )
    print(
        f"ratio kenesh/echo: {rate / echo_rate:.2f}; "
        f"of CPU per update, echo/kenesh: {echo['cpu'] / kenesh['cpu']:.2f}"
    )


if __name__ == "__main__":
    asyncio.run(main())
