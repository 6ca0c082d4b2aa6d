"""Drafts at scale: a 200-page draft (seed 002, 27 pages, repeated 8 times) parsed from DOCX
and stored; its outline pages and the next clause against another screen's query (the events
list); the table of comments (rows, DOCX, XLSX) for 5,000 comments.

    .venv/bin/python -m bench.bench_drafts [--repeat 8] [--comments 5000] [--database-url URL]
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
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from bot.services import events
from bot.services.drafts import DECISIONS, publishing, reading, table
from bot.services.drafts.parsing import parse_docx
from db import reference_data as ref
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade_to_head
from db.models import Agency, DraftClause, DraftComment, User, utcnow
from db.seed import seed_reference_data
from tests.drafts_fixtures import seed_docx

TZ = ZoneInfo("Asia/Bishkek")
REGIONS = [code for code, _ky, _ru in ref.REGIONS if code != "national"]


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f} ms"


def p95_ms(samples: list[float]) -> str:
    return f"{sorted(samples)[int(len(samples) * 0.95) - 1] * 1000:.1f} ms"


async def timed(action: Callable[[], Awaitable[Any]], runs: int = 30) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        await action()
        samples.append(time.perf_counter() - start)
    return samples


async def main(repeat: int, comment_total: int, database_url: str | None) -> None:
    data = seed_docx(repeat=repeat)
    print(f"DOCX of seed 002 x{repeat}: {len(data) / 1024:.0f} KiB, about {27 * repeat} pages")
    parse_times = []
    for _ in range(3):
        start = time.perf_counter()
        parsed = parse_docx(data)
        parse_times.append(time.perf_counter() - start)
    print(
        f"split: {len(parsed.chapters)} chapters, {parsed.clause_count} clauses, "
        f"median {statistics.median(parse_times):.2f} s (max {max(parse_times):.2f} s)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        engine = create_engine(url)
        await upgrade_to_head(engine)
        factory = create_session_factory(engine)
        async with factory() as session:
            await seed_reference_data(session)
            organizer = User(telegram_id=1, language="ky", consent="given")
            session.add(organizer)
            agency = await session.scalar(select(Agency).limit(1))
            assert agency is not None
            form = publishing.DraftForm(
                "Концепция", None, agency.id, (utcnow() + timedelta(days=30)).date()
            )
            start = time.perf_counter()
            draft = await publishing.create_pending(session, form, parsed, organizer, utcnow(), TZ)
            await publishing.confirm(session, draft, utcnow())
            await session.commit()
            print(f"stored in {time.perf_counter() - start:.2f} s")
            middle_chapter = len(parsed.chapters) // 2
            clause = await session.scalar(
                select(DraftClause).where(
                    DraftClause.draft_id == draft.id,
                    DraftClause.position == parsed.clause_count // 2,
                )
            )
            assert clause is not None
            screens = {
                "outline, first page": lambda: reading.outline(session, draft.id),
                "outline, a middle page": lambda: reading.outline(
                    session, draft.id, middle_chapter
                ),
                "next clause": lambda: reading.neighbour(session, clause, True),
                "most discussed": lambda: reading.most_discussed(session, draft.id),
                "events list (another screen)": lambda: events.upcoming(session, utcnow()),
            }
            # Round robin, so that the loaded machine slows every screen alike.
            samples: dict[str, list[float]] = {name: [] for name in screens}
            for _ in range(50):
                for name, action in screens.items():
                    samples[name] += await timed(action, runs=1)
            for name, times in samples.items():
                print(f"{name}: median {median_ms(times)}, p95 {p95_ms(times)}")

            rng = random.Random(18)
            users = [
                {
                    "telegram_id": 1000 + i,
                    "language": "ky",
                    "consent": "given",
                    "full_name": f"Катышуучу {i}",
                    "region_code": rng.choice(REGIONS),
                    "category_code": "citizen",
                    "registered_at": utcnow(),
                    "is_organizer": False,
                    "is_reachable": True,
                    "announcements_enabled": True,
                    "created_at": utcnow(),
                    "updated_at": utcnow(),
                }
                for i in range(500)
            ]
            await session.execute(insert(User), users)
            user_ids = list(await session.scalars(select(User.id).where(User.telegram_id >= 1000)))
            clause_ids = list(
                await session.scalars(
                    select(DraftClause.id).where(DraftClause.draft_id == draft.id)
                )
            )
            now = utcnow()
            comments = [
                {
                    "draft_id": draft.id,
                    "clause_id": rng.choice(clause_ids),
                    "author_id": rng.choice(user_ids),
                    "kind": rng.choice(("comment", "wording")),
                    "text": "Бул пунктту тактоо керек: региондордун өнүгүүсү. " * 3,
                    "reason": "Себеби: так эмес.",
                    "show_name": rng.random() < 0.5,
                    "region_code": rng.choice(REGIONS),
                    "category_code": "citizen",
                    "support_count": 0,
                    "decision": rng.choice((*DECISIONS, None)),
                    "decision_reason": "Жооп.",
                    "created_at": now,
                }
                for _ in range(comment_total)
            ]
            await session.execute(insert(DraftComment), comments)
            await session.commit()
            labels = table.Labels(
                "Таблица", tuple("abcdefg"), "Редакция", lambda d: d or "—",
                "Жыйынтык", "Бөлүмдөр", "Аймактар", "Категориялар", "Баары", "Үлүшү",
            )  # fmt: skip
            start = time.perf_counter()
            rows = await table.rows(session, draft.id, "ky")
            fetched = time.perf_counter() - start
            docx = await asyncio.to_thread(table.docx_bytes, rows, labels)
            made_docx = time.perf_counter() - start - fetched
            xlsx = await asyncio.to_thread(table.xlsx_bytes, rows, labels, "Пикирлер")
            total = time.perf_counter() - start
            print(
                f"table of {len(rows)} comments: rows {fetched:.2f} s, DOCX {made_docx:.2f} s "
                f"({len(docx) // 1024} KiB), XLSX {total - fetched - made_docx:.2f} s "
                f"({len(xlsx) // 1024} KiB), all {total:.2f} s"
            )
        await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=8)
    parser.add_argument("--comments", type=int, default=5000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    asyncio.run(main(args.repeat, args.comments, args.database_url))
