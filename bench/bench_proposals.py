"""Every proposals screen a person can reach, at scale.

Generates proposals in Kyrgyz and Russian from the seeds' vocabulary over regions, topics
and authors (one author per five proposals, so 200,000 at 1,000,000), created over two
years (ids grow with time), in mixed statuses (half published; forwarded, answered,
declined, rejected, withdrawn...; the moderation queue mostly from the last two weeks; one in
a hundred merged), support counts skewed as they are. Then times, through the services the
handlers call, each /proposals screen (newest and most supported, with and without region
and topic, pages 1 to 3), /search with two- and three-letter starts of words, whole words
and two words, /myproposals, the moderation queue and one insert, each ending its
transaction as an update does; reports the median and the 95th percentile.

    .venv/bin/python -m bench.bench_proposals --sizes 10000 100000 1000000 [--database-url URL]

Generating 1,000,000 takes about ten minutes: --keep keeps the database (SQLite: under
--sqlite-dir; PostgreSQL: kenesh_bench_SIZE) and reuses one that already holds proposals,
only migrating it to the head; --only search times the /search screens alone.
"""

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, text
from sqlalchemy.exc import DBAPIError

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


# The statuses of proposals older than two weeks (moderated long ago), by weight.
SETTLED = {
    "published": 50,
    "forwarded": 12,
    "answered": 8,
    "accepted": 5,
    "partially-accepted": 3,
    "declined": 5,
    "implemented": 2,
    "returned": 2,
    "rejected": 8,
    "withdrawn": 4,
    "submitted": 1,
}


def status_for(rng: random.Random, age: timedelta) -> str:
    if age < timedelta(days=14) and rng.random() < 0.4:
        return "submitted"  # the moderation queue: mostly the last two weeks
    return rng.choices(list(SETTLED), weights=list(SETTLED.values()))[0]


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
        span = timedelta(days=730)
        first = now - span
        for start in range(0, size, 5_000):
            rows = []
            for i in range(start, min(start + 5_000, size)):
                # ids grow with time, as they do: spread evenly over two years, with jitter
                created = first + span * (i + rng.random()) / size
                rows.append(
                    {
                        "author_id": 1 + rng.randrange(authors),
                        "topic_code": rng.choice(TOPICS),
                        "region_code": rng.choice(REGIONS),
                        "text": sentence(rng, words),
                        "status": status_for(rng, now - created),
                        "support_count": int(rng.expovariate(1 / 15)),
                        "is_anonymous": rng.random() < 0.1,
                        "created_at": created,
                        "updated_at": created,
                    }
                )
            await session.execute(insert(Proposal), rows)
            await session.commit()
        # one in a hundred public proposals merged into an older one
        merged = [1 + rng.randrange(2, size) for _ in range(size // 100)]
        await session.execute(
            text("UPDATE proposals SET merged_into_id = id - 1 WHERE id = :id"),
            [{"id": i} for i in merged],
        )
        await session.commit()
        await session.execute(text("ANALYZE"))
        await session.commit()
    await engine.dispose()


async def populated(database_url: str) -> bool:
    """Whether the database already holds generated proposals (then only migrated)."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return (await connection.scalar(text("SELECT max(id) FROM proposals"))) is not None
    except DBAPIError:  # no such table yet: a new database
        return False
    finally:
        await engine.dispose()


async def timed(runs: int, make) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """(median, p95) of the wall time and the p95 of this process's CPU time, in ms. On
    SQLite the query runs in this process, so its CPU time is what the query costs even
    when other work shares the machine's cores (the wall time then includes waiting)."""
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        await make()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    p95 = statistics.quantiles(times, n=20)[18]
    return statistics.median(times), p95, statistics.quantiles(cpu, n=20)[18]


def short_words(words: list[str], rng: random.Random) -> list[str]:
    """What people type into search: two- and three-letter starts of the seeds' words."""
    starts = {w[:n].lower() for w in words for n in (2, 3) if len(w) > n and w[:n].isalpha()}
    return sorted(starts)


async def measure(
    database_url: str, size: int, rng: random.Random, runs: int, only: str = "all"
) -> dict[str, tuple[float, float, float]]:
    """Every proposals screen a person reaches, through the services the handlers call."""
    engine = create_engine(database_url)
    words = vocabulary()
    starts = short_words(words, rng)
    results = {}
    async with create_session_factory(engine)() as session:
        # Untimed, as a process that has answered an update already: the first query of a
        # process connects and fills its caches (about 50 ms), which on a reused database
        # (--keep) generate() has not done, and would land in the first screen's p95.
        await proposals.browse(session)
        await session.commit()
        for sort in ("new", "support") if only == "all" else ():
            for region, topic in ((False, False), (True, False), (False, True), (True, True)):
                label = {(0, 0): "all", (1, 0): "region", (0, 1): "topic", (1, 1): "region+topic"}
                name = f"/proposals {label[(int(region), int(topic))]}, {sort}"

                async def screen(sort: str = sort, region: bool = region, topic: bool = topic):  # type: ignore[no-untyped-def]
                    await proposals.browse(
                        session,
                        region=rng.choice(REGIONS) if region else None,
                        topic=rng.choice(TOPICS) if topic else None,
                        sort=sort,
                        page=rng.choice((0, 0, 0, 1, 2)),
                    )
                    await session.commit()  # as the update's transaction ends

                results[name] = await timed(runs, screen)

        async def search(pick) -> None:  # type: ignore[no-untyped-def]
            await proposals.search(session, pick())
            await session.commit()

        two = [w for w in starts if len(w) == 2]
        three = [w for w in starts if len(w) == 3]
        results["/search two letters"] = await timed(runs, lambda: search(lambda: rng.choice(two)))
        results["/search three letters"] = await timed(
            runs, lambda: search(lambda: rng.choice(three))
        )
        results["/search a word"] = await timed(runs, lambda: search(lambda: rng.choice(words)))
        results["/search two words"] = await timed(
            runs, lambda: search(lambda: f"{rng.choice(words)} {rng.choice(three)}")
        )
        if only == "search":
            await engine.dispose()
            return results
        author = await session.get(User, 1)

        async def mine() -> None:
            someone = await session.get(User, 1 + rng.randrange(max(1, size // 5)))
            await proposals.mine(session, someone or author)  # type: ignore[arg-type]
            await session.commit()

        results["/myproposals"] = await timed(runs, mine)

        async def queue() -> None:
            await proposals.moderation_queue(session)
            await session.commit()

        results["/moderate (the queue)"] = await timed(runs, queue)

        async def insert_one() -> None:
            draft = ProposalDraft(rng.choice(TOPICS), rng.choice(REGIONS), sentence(rng, words))
            await proposals.submit(session, author, draft, daily_limit=10**9)  # type: ignore[arg-type]
            await session.commit()

        results["insert one with its search index"] = await timed(runs, insert_one)
    await engine.dispose()
    return results


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--database-url", default=None, help="a PostgreSQL maintenance URL")
    parser.add_argument("--runs", type=int, default=50, help="times each screen is timed")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database, and reuse one already generated"
    )
    parser.add_argument(
        "--sqlite-dir", type=Path, default=None, help="where --keep keeps SQLite databases"
    )
    parser.add_argument("--only", choices=("all", "search"), default="all")
    args = parser.parse_args()
    for size in args.sizes:
        rng = random.Random(size)
        if args.database_url and args.keep:
            from sqlalchemy.engine import make_url

            name = f"kenesh_bench_{size}"
            url = (
                make_url(args.database_url).set(database=name).render_as_string(hide_password=False)
            )
            admin = create_engine(args.database_url, isolation_level="AUTOCOMMIT")
            async with admin.connect() as connection:
                exists = await connection.scalar(
                    text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
                )
                if not exists:
                    await connection.execute(text(f'CREATE DATABASE "{name}"'))
            await admin.dispose()
        elif args.database_url:
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
        elif args.keep:
            folder = args.sqlite_dir or Path(tempfile.gettempdir()) / "kenesh_bench"
            folder.mkdir(parents=True, exist_ok=True)
            url = f"sqlite+aiosqlite:///{folder / f'proposals_{size}.sqlite3'}"
        else:
            url = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'proposals.sqlite3'}"
        started = time.perf_counter()
        if args.keep and await populated(url):
            engine = create_engine(url)
            await upgrade_to_head(engine)  # the migrations since it was generated
            await engine.dispose()
            took = time.perf_counter() - started
            print(f"{url.split('+')[0]} {size:>9,} proposals (reused, migrated in {took:.0f} s)")
        else:
            await generate(url, size, rng)
            took = time.perf_counter() - started
            print(f"{url.split('+')[0]} {size:>9,} proposals (generated in {took:.0f} s)")
        # The screens' own draws, the same whether the database was generated or reused.
        rng = random.Random(-size)
        results = await measure(url, size, rng, args.runs, args.only)
        for name, (median, p95, cpu) in results.items():
            print(f"  {name:34} median {median:6.1f} ms  p95 {p95:6.1f} ms  CPU p95 {cpu:6.1f} ms")


if __name__ == "__main__":
    asyncio.run(main())
