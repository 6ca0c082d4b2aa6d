"""Replies while an announcement goes out: does the outbox leave people who talk to the bot
waiting, and does it use what they leave?

An announcement to N people is started; the bot (one polling process on SQLite, as in
production) sends it while P people talk to it: each sends /help, reads the answer, thinks
for one to three seconds, and again. The fake Bot API enforces L messages a second, with
blocking retry_after. The bot keeps to R a second (TELEGRAM_RATE_PER_SECOND).

Reported over the measured window: p50/p95 from a person's update to the reply, replies and
announcement messages a second, the announcement's rate / (R - replies a second), the most
calls Telegram saw in any one second, and 429 answers.

    .venv/bin/python -m bench.bench_mixed [--people 10000] [--talkers 50] [--seconds 60]
"""

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_outbox import FIRST_ID, most_in_a_second, prepare
from tests.fake_bot_api import FakeTelegramServer, Person
from tests.processes import bot_env

TALKER_ID = 30_000_000


async def talk(server: FakeTelegramServer, who: Person, until: float, waits: list[float]) -> None:
    rng = random.Random(who.user_id)
    server.add_user(who.user_id)
    while time.monotonic() < until:
        before = len(who.inbox)
        command = {"type": "bot_command", "offset": 0, "length": 5}
        server.push_update({"message": who._message(text="/help", entities=[command])})
        pushed = time.monotonic()
        await server.wait_count(who.user_id, before + 1, timeout=120)
        waits.append(who.inbox[before].at - pushed)
        await asyncio.sleep(rng.uniform(1.0, 3.0))  # a person reads and thinks


async def run(args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="kenesh-mixed-"))
    database_url = f"sqlite+aiosqlite:///{workdir / 'mixed.sqlite3'}"
    await prepare(database_url, args.people)
    recipients = range(FIRST_ID, FIRST_ID + args.people)
    async with FakeTelegramServer() as server:
        server.add_users(range(FIRST_ID - 1, FIRST_ID + args.people))
        server.set_rate_limit(per_second=args.limit, retry_after=1)
        env = bot_env(
            database_url, "", server.base_url, "", TELEGRAM_RATE_PER_SECOND=str(args.rate)
        )
        for key in ("REDIS_URL", "WEBHOOK_URL", "WEBHOOK_SECRET"):
            env.pop(key)
        env["OUTBOX_RATE_PER_SECOND"] = str(args.rate)
        env["LOG_LEVEL"] = "ERROR"
        log = (workdir / "bot.log").open("ab")
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", env={**os.environ, **env}, stdout=log, stderr=log
        )
        try:
            # The announcement is under way before the people start talking.
            while server.sent_count < 50:  # noqa: ASYNC110 - another process sends
                await asyncio.sleep(0.2)
            began = time.monotonic()
            until = began + args.seconds
            waits: list[float] = []
            talkers = [Person(server, TALKER_ID + i) for i in range(args.talkers)]
            await asyncio.gather(*(talk(server, who, until, waits) for who in talkers))
            ended = time.monotonic()
        finally:
            bot.terminate()
            await bot.wait()

    window = ended - began
    in_window = [c for c in server.calls if began <= c.at <= ended and c.status != 429]
    to_talkers = sum(1 for c in in_window if int(c.params.get("chat_id", 0)) >= TALKER_ID)
    announced = sum(1 for c in in_window if int(c.params.get("chat_id", 0)) in recipients)
    reply_rate, announce_rate = to_talkers / window, announced / window
    left = args.rate - reply_rate
    waits.sort()
    p95 = waits[int(0.95 * (len(waits) - 1))]
    everything = sorted(c.at for c in server.calls if c.status != 429)
    print(f"announcement to {args.people}, {args.talkers} people talking, {window:.0f} s measured")
    print(f"  Telegram's limit L = {args.limit:g}/s; the bot's rate R = {args.rate:g}/s")
    print(f"  update -> reply: median {statistics.median(waits):.2f} s, p95 {p95:.2f} s")
    print(f"  replies {reply_rate:.1f}/s; announcement {announce_rate:.1f}/s")
    print(f"  announcement / (R - replies) = {announce_rate / left:.3f}")
    print(f"  most calls in one second: {most_in_a_second(everything)}; 429: {server.rejected_429}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--talkers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--limit", type=float, default=30)
    parser.add_argument("--rate", type=float, default=28)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
