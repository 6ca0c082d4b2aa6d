"""A forum's first minute: N distinct people send /start at the same moment.

The fake Bot API of the tests enforces L messages a second, and after a 429 refuses
everything for the whole retry_after, as Telegram does. The bot runs as it does in
production, in processes of its own: one polling process on SQLite, or several webhook
processes behind a round-robin load balancer on PostgreSQL and Redis (Telegram posts up to
40 updates at once). The bot keeps to R a second (TELEGRAM_RATE_PER_SECOND).

Reported: how many were welcomed exactly once, apologies, 429 answers, the most messages
Telegram saw in any one second, and the time from the first /start to the last welcome
against the goal of 1.2 x N / L.

    .venv/bin/python -m bench.bench_burst [--people 1000] [--limit 30] [--rate 28]
    .venv/bin/python -m bench.bench_burst --processes 3 --database-url postgresql+asyncpg://...
        --redis-url redis://...
"""

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_outbox import most_in_a_second
from tests.fake_bot_api import FakeTelegramServer, Person
from tests.processes import BotProcess, LoadBalancer, bot_env

FIRST_ID = 20_000_000
WELCOME = "«Кеңешке» кош келиңиз"
APOLOGY = "Ката кетти"


def start(server: FakeTelegramServer, someone: Person) -> float:
    server.add_user(someone.user_id)
    command = {"type": "bot_command", "offset": 0, "length": 6}
    server.push_update({"message": someone._message(text="/start", entities=[command])})
    return time.monotonic()


async def run(args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="kenesh-burst-"))
    database_url = args.database_url or f"sqlite+aiosqlite:///{workdir / 'burst.sqlite3'}"
    async with FakeTelegramServer() as server:
        server.set_rate_limit(per_second=args.limit, retry_after=args.retry_after)
        server.webhook_connections = 40
        balancer = await LoadBalancer().start()
        webhook = balancer.url if args.processes > 1 else ""
        env = bot_env(
            database_url,
            args.redis_url or "",
            server.base_url,
            webhook,
            TELEGRAM_RATE_PER_SECOND=str(args.rate),
            LOG_LEVEL="ERROR",
        )
        for key in [k for k, v in env.items() if v == ""]:
            del env[key]
        if args.processes == 1:
            env.pop("WEBHOOK_SECRET", None)
        bots = [BotProcess(f"bot-{i + 1}", workdir, env) for i in range(args.processes)]
        balancer.backends += bots
        if args.processes == 1:  # polling: no web server to ask whether it is up
            log = (workdir / "bot-1.log").open("ab")
            bots[0].process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", env={**os.environ, **env}, stdout=log, stderr=log
            )
        else:
            await asyncio.gather(*(bot.start() for bot in bots))
        try:
            # One person first: the bots are up and polling (or the webhook is set).
            warm_up = Person(server, FIRST_ID - 1)
            start(server, warm_up)
            await warm_up.wait_for(WELCOME, timeout=120)
            server.clear()
            server.rejected_429 = 0

            people = [Person(server, FIRST_ID + i) for i in range(args.people)]
            began = time.monotonic()
            pushed = {someone.user_id: start(server, someone) for someone in people}
            pushing = time.monotonic() - began
            deadline = began + max(600, 5 * args.people / args.rate)
            while time.monotonic() < deadline:
                welcomed = sum(1 for p in people if any(WELCOME in m.visible for m in p.inbox))
                if welcomed == len(people):
                    break
                await asyncio.sleep(0.5)
            await asyncio.sleep(2)  # anything more (a second welcome, an apology) shows up
        finally:
            await asyncio.gather(*(bot.stop() for bot in bots))
            await balancer.stop()

    firsts = {}
    once = 0
    for someone in people:
        welcomes = [m for m in someone.inbox if WELCOME in m.visible]
        if welcomes:
            firsts[someone.user_id] = welcomes[0].at
        once += len(welcomes) == 1 and len(someone.inbox) == 1
    apologies = sum(1 for m in server.sent if APOLOGY in m.visible)
    latencies = sorted(firsts[i] - pushed[i] for i in firsts)
    last = max(firsts.values()) - began if firsts else float("nan")
    goal = 1.2 * args.people / args.limit
    sends = sorted(c.at for c in server.calls if c.status != 429)
    backend = "PostgreSQL + Redis" if args.redis_url else "SQLite"
    mode = "webhook" if args.processes > 1 else "polling"
    print(f"burst of {args.people} /start ({pushing:.2f} s to push them all)")
    print(f"  {args.processes} {mode} process(es), {backend}")
    print(f"  Telegram's limit L = {args.limit:g}/s; the bot's rate R = {args.rate:g}/s")
    print(f"  welcomed exactly once: {once}/{args.people}; apologies: {apologies}")
    most = most_in_a_second(sends)
    refused = [round(c.at - began, 2) for c in server.calls if c.status == 429]
    if refused:
        print(f"  429 at (s after the first /start): {refused[:20]}")
    print(f"  429 answers: {server.rejected_429}; most calls in one second: {most}")
    print(f"  last welcome after {last:.1f} s; goal <= {goal:.1f} s (1.2 x N / L)")
    if latencies:
        p50 = statistics.median(latencies)
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        print(f"  wait for the welcome: median {p50:.1f} s, p95 {p95:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--limit", type=float, default=30)
    parser.add_argument("--rate", type=float, default=28)
    parser.add_argument("--retry-after", type=int, default=1)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    args = parser.parse_args()
    if args.processes > 1 and not (args.database_url and args.redis_url):
        parser.error("several processes share PostgreSQL and Redis: give both URLs")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
