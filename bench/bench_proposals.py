"""Proposal queries at scale: filter page, word search, "my proposals", one insert.

Generates proposals in Kyrgyz and Russian from the seeds' vocabulary over regions, topics
and authors (one author per five proposals, so 200,000 at 1,000,000), then times each
query many times and reports the median and the 95th percentile.

    .venv/bin/python -m bench.bench_proposals --sizes 10000 100000 1000000 [--database-url URL]
"""

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, text

from bot.services import proposals
from bot.services.proposals import ProposalDraft
from db import reference_data as ref
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade_to_head
from db.models import Proposal, User, utcnow
from db.seed import seed_reference_data

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
FALLBACK_WORDS = [
    "Баткен",
    "облусу",
    "өрүк",
    "суу",
    "сугат",
    "мектеп",
    "мугалим",
    "жол",
    "чек",
    "ара",
    "мекендештер",
    "миграция",
    "жумуш",
    "ишкердик",
    "туризм",
    "инновация",
    "билим",
    "берүү",
    "саламаттык",
    "Нарын",
    "Талас",
    "Ош",
    "Бишкек",
    "Чүй",
    "Ысык-Көл",
    "область",
    "вода",
    "школа",
    "дорога",
    "граница",
    "соотечественники",
    "работа",
    "туризм",
    "инновации",
    "образование",
]
REGIONS = [code for code, _ky, _ru in ref.REGIONS]
TOPICS = [code for code, _ky, _ru in ref.TOPICS]


def vocabulary() -> list[str]:
    words: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        words += [w for w in path.read_text(encoding="utf-8").split() if w.isalpha() and len(w) > 3]
    return words or FALLBACK_WORDS


def sentence(rng: random.Random, words: list[str]) -> str:
    return " ".join(rng.choice(words) for _ in range(rng.randint(12, 40)))


async def generate(database_url: str, size: int, rng: random.Random) -> None:
    engine = create_engine(database_url)
    await upgrade_to_head(engine)
    words = vocabulary()
    authors = max(1, size // 5)
    async with create_session_factory(engine)() as session:
        await seed_reference_data(session)
        now = utcnow()
        for start in range(0, authors, 10_000):
            await session.execute(
                insert(User),
                [
                    {
                        "telegram_id": 1_000_000 + i,
                        "language": "ky",
                        "consent": "given",
                        "full_name": "Катышуучу",
                        "region_code": "osh",
                        "category_code": "citizen",
                        "registered_at": now,
                        "is_organizer": False,
                        "is_reachable": True,
                        "announcements_enabled": True,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in range(start, min(start + 10_000, authors))
                ],
            )
        await session.commit()
        for start in range(0, size, 5_000):
            await session.execute(
                insert(Proposal),
                [
                    {
                        "author_id": 1 + rng.randrange(authors),
                        "topic_code": rng.choice(TOPICS),
                        "region_code": rng.choice(REGIONS),
                        "text": sentence(rng, words),
                        "status": "published",
                        "support_count": rng.randrange(200),
                        "is_anonymous": False,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for _ in range(start, min(start + 5_000, size))
                ],
            )
            await session.commit()
        await session.execute(text("ANALYZE"))
        await session.commit()
    await engine.dispose()


async def timed(runs: int, make) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        await make()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), statistics.quantiles(times, n=20)[18]


async def measure(
    database_url: str, size: int, rng: random.Random
) -> dict[str, tuple[float, float]]:
    engine = create_engine(database_url)
    words = vocabulary()
    results = {}
    async with create_session_factory(engine)() as session:
        results["filter region+topic, by support"] = await timed(
            50,
            lambda: proposals.browse(
                session, region=rng.choice(REGIONS), topic=rng.choice(TOPICS), sort="support"
            ),
        )
        results["word search, first page"] = await timed(
            50, lambda: proposals.search(session, rng.choice(words))
        )
        author = await session.get(User, 1)

        async def mine() -> None:
            someone = await session.get(User, 1 + rng.randrange(max(1, size // 5)))
            await proposals.mine(session, someone or author)  # type: ignore[arg-type]

        results["my proposals"] = await timed(50, mine)

        async def insert_one() -> None:
            draft = ProposalDraft(rng.choice(TOPICS), rng.choice(REGIONS), sentence(rng, words))
            await proposals.submit(session, author, draft, daily_limit=10**9)  # type: ignore[arg-type]
            await session.commit()

        results["insert one with its search index"] = await timed(50, insert_one)
    await engine.dispose()
    return results


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--database-url", default=None, help="a PostgreSQL maintenance URL")
    args = parser.parse_args()
    for size in args.sizes:
        rng = random.Random(size)
        if args.database_url:
            from sqlalchemy.engine import make_url

            admin = create_engine(args.database_url, isolation_level="AUTOCOMMIT")
            name = f"kenesh_bench_{size}"
            async with admin.connect() as connection:
                await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
                await connection.execute(text(f'CREATE DATABASE "{name}"'))
            await admin.dispose()
            url = (
                make_url(args.database_url).set(database=name).render_as_string(hide_password=False)
            )
        else:
            url = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'proposals.sqlite3'}"
        started = time.perf_counter()
        await generate(url, size, rng)
        took = time.perf_counter() - started
        print(f"{url.split('+')[0]} {size:>9,} proposals (generated in {took:.0f} s)")
        for name, (median, p95) in (await measure(url, size, rng)).items():
            print(f"  {name:36} median {median:7.2f} ms   p95 {p95:7.2f} ms")


if __name__ == "__main__":
    asyncio.run(main())
