"""The public site's server time at scale: the proposals list with a filter, a search, a
proposal page and the agencies' table, on SQLite.

The proposals come from bench/bench_proposals.py's generator (imported, not copied); on top,
100 agencies and, for one proposal in five, a forwarding (two in three of them answered,
half of those rated by their author) with its status history. Each page is rendered by the
site's own handler (database, template, ETag) without the HTTP round trip, many times; the
median and the 95th percentile are reported.

    .venv/bin/python -m bench.bench_web --sizes 10000 100000 1000000 [--keep DIR]

With --keep, the generated databases stay in DIR and a later run measures them again.
"""

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from sqlalchemy import insert, text, update

from bench.bench_proposals import REGIONS, TOPICS, generate, vocabulary
from bot.app import build_app
from bot.config import Settings
from bot.web.site import Site
from db.engine import create_engine, create_session_factory
from db.models import (
    Agency,
    AgencyAnswer,
    AnswerSatisfaction,
    Forwarding,
    Proposal,
    ProposalStatusChange,
    utcnow,
)

AGENCIES = 100
CHUNK = 5000
TOKEN = "123456789:AAHbenchTOKENbenchTOKENbenchTOKEN12"


async def add_agencies(database_url: str, size: int, rng: random.Random) -> int:
    """100 agencies; every fifth proposal forwarded to one of them. Returns the forwardings."""
    engine = create_engine(database_url)
    now = utcnow()
    async with create_session_factory(engine)() as session:
        await session.execute(
            insert(Agency),
            [
                {
                    "code": f"agency{i}",
                    "name_ky": f"Мамлекеттик орган {i}",
                    "name_ru": f"Госорган {i}",
                    "answer_days": 14,
                    "working_days": False,
                    "is_active": True,
                    "created_at": now,
                }
                for i in range(AGENCIES)
            ],
        )
        forwarded = list(range(5, size + 1, 5))
        answer_id = 0
        for start in range(0, len(forwarded), CHUNK):
            ids = forwarded[start : start + CHUNK]
            forwardings, answers, votes, changes = [], [], [], []
            answered_ids, open_ids = [], []
            for pid in ids:
                at = now - timedelta(days=rng.uniform(0, 120))
                due = at + timedelta(days=14)
                answered = pid % 15 != 0
                answered_at = at + timedelta(days=rng.uniform(0.5, 30)) if answered else None
                forwardings.append(
                    {
                        "id": pid,
                        "proposal_id": pid,
                        "agency_id": 1 + (pid // 5) % AGENCIES,
                        "forwarded_at": at,
                        "due_at": due,
                        "answered_at": answered_at,
                        "outcome": "accepted" if answered else None,
                    }
                )
                changes.append({"proposal_id": pid, "status": "published", "created_at": at})
                changes.append({"proposal_id": pid, "status": "forwarded", "created_at": at})
                if answered:
                    answer_id += 1
                    answered_ids.append(pid)
                    answers.append(
                        {
                            "id": answer_id,
                            "forwarding_id": pid,
                            "text": "Сунуш каралды, иш пландалды. Предложение рассмотрено.",
                            "outcome": "accepted",
                            "created_at": answered_at,
                        }
                    )
                    changes.append(
                        {"proposal_id": pid, "status": "accepted", "created_at": answered_at}
                    )
                    if answer_id % 2:
                        votes.append(
                            {
                                "answer_id": answer_id,
                                "user_id": 1,
                                "satisfied": rng.random() < 0.6,
                                "created_at": answered_at,
                            }
                        )
                else:
                    open_ids.append(pid)
            await session.execute(insert(Forwarding), forwardings)
            await session.execute(insert(AgencyAnswer), answers)
            if votes:
                await session.execute(insert(AnswerSatisfaction), votes)
            await session.execute(insert(ProposalStatusChange), changes)
            for status, chosen in (("accepted", answered_ids), ("forwarded", open_ids)):
                if chosen:  # a forwarded proposal stands on its own (none merged away)
                    await session.execute(
                        update(Proposal)
                        .where(Proposal.id.in_(chosen))
                        .values(status=status, merged_into_id=None)
                    )
            await session.commit()
        await session.execute(text("ANALYZE"))
        await session.commit()
    await engine.dispose()
    return len(forwarded)


Page = tuple[Callable[[web.Request], Awaitable[web.StreamResponse]], web.Request]


async def timed(runs: int, page: Callable[[], Page]) -> tuple[float, float, float, float]:
    """Server time of `runs` requests, from the parsed request to the response: wall-clock
    median and p95, and the same of the CPU time this process spent on each (the part that
    does not depend on how busy the machine is; SQLite's thread included)."""
    wall, cpu = [], []
    for _ in range(runs):
        handler, request = page()
        start, start_cpu = time.perf_counter(), time.process_time()
        response = await handler(request)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status == 200, (request.path_qs, response.status)
    if runs == 1:
        return wall[0], wall[0], cpu[0], cpu[0]

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[18]

    return statistics.median(wall), p95(wall), statistics.median(cpu), p95(cpu)


async def measure(
    database_url: str, size: int, rng: random.Random
) -> dict[str, tuple[float, float, float, float]]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        bot_token=TOKEN,
        database_url=database_url,
        telegram_api_url="http://127.0.0.1:9",
        public_url="https://kenesh.example.kg",
    )
    app = await build_app(settings)
    site = Site(app)
    site._username = "kenesh_bench_bot"  # no getMe: nothing is sent anywhere
    words = vocabulary()

    def page(
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]], path: str, **match: str
    ) -> Page:
        lang = rng.choice(("ky", "ru"))
        return handler, make_mocked_request("GET", path, match_info={"lang": lang, **match})

    def proposal() -> Page:
        pid = 5 * rng.randrange(1, size // 5)
        return page(site.proposal_page, f"/ky/proposals/{pid}", proposal_id=str(pid))

    results: dict[str, tuple[float, float, float, float]] = {}
    for _ in range(3):  # warm the caches of SQLite and of the templates
        handler, request = page(site.proposals_page, "/ky/proposals")
        await handler(request)
    results["proposals, region + topic filter"] = await timed(
        100,
        lambda: page(
            site.proposals_page,
            f"/ky/proposals?region={rng.choice(REGIONS)}&topic={rng.choice(TOPICS)}",
        ),
    )
    results["proposals, region filter"] = await timed(
        100, lambda: page(site.proposals_page, f"/ky/proposals?region={rng.choice(REGIONS)}")
    )
    results["proposals, region + topic, by support"] = await timed(
        100,
        lambda: page(
            site.proposals_page,
            f"/ky/proposals?region={rng.choice(REGIONS)}&topic={rng.choice(TOPICS)}&sort=support",
        ),
    )
    results["proposals, a search"] = await timed(
        100, lambda: page(site.proposals_page, f"/ky/proposals?q={rng.choice(words)}")
    )
    results["a proposal page (forwarded)"] = await timed(100, proposal)
    site._table = None
    results["agencies table, computed (first request)"] = await timed(
        1, lambda: page(site.agencies_page, "/ky/agencies")
    )
    results["agencies table (the minute's table)"] = await timed(
        100, lambda: page(site.agencies_page, "/ky/agencies")
    )
    await app.close()
    return results


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--keep", type=Path, default=None, help="keep the databases here, and reuse them"
    )
    args = parser.parse_args()
    for size in args.sizes:
        if args.keep:
            kept = args.keep / f"web-{size}.sqlite3"
            if kept.exists():
                print(f"SQLite {size:>9,} proposals (reused {kept})")
                await report(f"sqlite+aiosqlite:///{kept}", size)
                continue
        rng = random.Random(size)
        folder = args.keep or Path(tempfile.mkdtemp())
        folder.mkdir(parents=True, exist_ok=True)
        url = f"sqlite+aiosqlite:///{folder / f'web-{size}.sqlite3'}"
        started = time.perf_counter()
        await generate(url, size, rng)
        forwarded = await add_agencies(url, size, rng)
        took = time.perf_counter() - started
        print(f"SQLite {size:>9,} proposals, {forwarded:,} forwarded (generated in {took:.0f} s)")
        await report(url, size)


async def report(url: str, size: int) -> None:
    results = await measure(url, size, random.Random(size + 1))
    print(f"  {'':44} wall median    p95   CPU median    p95 (ms)")
    for name, (median, p95, cpu_median, cpu_p95) in results.items():
        print(f"  {name:44} {median:8.1f} {p95:8.1f} {cpu_median:10.1f} {cpu_p95:8.1f}", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
