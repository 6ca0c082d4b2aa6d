"""A poll to 10,000 people in the hall, and 10,000 answers arriving within a minute.

The real bot (polling, updates handled as concurrent tasks as in production, the delivery
worker, the sweeps) runs against the fake Bot API server of the tests, which enforces L
messages a second overall and one a second to one chat (429 above either). Phase 1: the
organizer's poll goes out through the outbox as 10,000 native polls. Phase 2: every person
answers, spread evenly over `--window` seconds. Reported: delivery time and rate, 429s, how
long until every answer was stored (and whether all were), and the organizer's live results
message: how many edits, the shortest gap between two, the cost of one refresh.

    .venv/bin/python -m bench.bench_polls [--people 10000] [--limit 200] [--window 60]
"""

import argparse
import asyncio
import itertools
import tempfile
import time
from contextlib import suppress
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from bot.app import POLLING_TASKS, build_app, start_background
from bot.poll_sweeps import sweep_poll_results
from bot.services import events, polls
from bot.services.broadcasts import Audience
from db.models import Poll, PollAnswer, PollCopy, Registration, User, utcnow
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import make_settings

FIRST_ID = 20_000_000
ORGANIZER = FIRST_ID - 1
REGIONS = ("bishkek", "osh", "batken", "chuy", "naryn", "talas", "abroad")


async def prepare(app, people: int) -> int:  # type: ignore[no-untyped-def]
    """10,000 participants checked in at an event going on now, and the poll to them."""
    async with app.session_factory() as session:
        now = utcnow()
        await session.execute(
            insert(User),
            [
                {
                    "telegram_id": FIRST_ID + i,
                    "language": "ky" if i % 2 else "ru",
                    "consent": "given",
                    "full_name": "Катышуучу",
                    "region_code": REGIONS[i % len(REGIONS)],
                    "country_code": "RU" if REGIONS[i % len(REGIONS)] == "abroad" else None,
                    "category_code": "citizen",
                    "gender": "female" if i % 3 else "male",
                    "registered_at": now,
                }
                for i in range(people)
            ],
        )
        organizer = User(telegram_id=ORGANIZER, language="ky", consent="given", is_organizer=True)
        session.add(organizer)
        await session.flush()
        starts = now - timedelta(hours=1)
        event = await events.save_event(
            session,
            events.EventDraft(
                kind_code="forum",
                title_ky="Мекендештер форуму",
                title_ru="Форум соотечественников",
                starts_at=starts,
                ends_at=starts + timedelta(hours=5),
                format="hybrid",
                venue="Бишкек",
                online_url="https://example.org",
                region_code="bishkek",
                topic_codes=["migration"],
            ),
            author=organizer,
            publish=True,
            tz=app.settings.tz,
            now=starts - timedelta(days=10),
        )
        ids = list(await session.scalars(select(User.id).where(User.telegram_id >= FIRST_ID)))
        await session.execute(
            insert(Registration),
            [
                {
                    "event_id": event.id,
                    "user_id": user_id,
                    "status": "registered",
                    "code": f"B{user_id}",
                    "attended_at": now,
                }
                for user_id in ids
            ],
        )
        poll = await polls.start(
            session,
            author=organizer,
            question_ky="Баткен облусуна өзгөчө статус берилсинби?",
            question_ru="Дать ли Баткенской области особый статус?",
            options=polls.combine_options(["Ооба", "Жок", "Билбейм"], ["Да", "Нет", "Не знаю"]),
            allows_multiple=False,
            is_anonymous=True,
            audience=Audience("checked_in", str(event.id)),
        )
        await session.commit()
        return poll.id


async def count(app, model: type) -> int:  # type: ignore[no-untyped-def]
    async with app.session_factory() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def wait_for_count(app, model: type, target: int, timeout: float) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    while await count(app, model) < target:
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"{model.__name__}: {await count(app, model)} of {target}")
        await asyncio.sleep(0.25)
    return time.perf_counter() - started


async def main(people: int, limit: float, window: float) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="kenesh-polls-"))
    database_url = f"sqlite+aiosqlite:///{workdir / 'polls.sqlite3'}"
    async with FakeTelegramServer() as server:
        server.add_users(range(ORGANIZER, FIRST_ID + people))
        server.set_rate_limit(per_second=limit, per_chat_per_second=1.0, retry_after=1)
        settings = make_settings(database_url, server.base_url, outbox_rate_per_second=limit)
        app = await build_app(settings)
        poll_id = await prepare(app, people)
        await start_background(app)
        polling = asyncio.create_task(
            app.dp.start_polling(  # as bot.app.run_polling does
                app.bot,
                polling_timeout=1,
                handle_signals=False,
                close_bot_session=False,
                tasks_concurrency_limit=POLLING_TASKS,
            )
        )
        try:
            # The organizer's results message, kept current by the live-results sweep.
            shown = await app.bot.send_message(ORGANIZER, "…")
            async with app.session_factory() as session:
                await polls.attach_results_message(session, [poll_id], ORGANIZER, shown.message_id)
                await session.commit()

            print(f"poll to {people} people; fake Telegram limit L = {limit:g}/s, 1/s per chat")
            seconds = await wait_for_count(app, PollCopy, people, timeout=people / 5 + 60)
            sent = sorted(m.at for m in server.sent if m.method == "sendPoll")
            rate = (len(sent) - 1) / (sent[-1] - sent[0])
            print(f"  phase 1: {len(sent)} polls delivered in {seconds:.1f} s")
            print(
                f"    rate {rate:.1f}/s = {rate / limit:.2f} L; 429 answers: {server.rejected_429}"
            )

            rejected_before = server.rejected_429
            copies = [
                (poll_id_, fake.chat_id)
                for poll_id_, fake in server.polls.items()
                if fake.chat_id != ORGANIZER
            ]
            started = time.perf_counter()
            for n, (telegram_poll_id, chat) in enumerate(copies):
                due = started + window * n / len(copies)
                if due > time.perf_counter():
                    await asyncio.sleep(due - time.perf_counter())
                user = {"id": chat, "is_bot": False, "first_name": "Катышуучу"}
                server.answer_poll(telegram_poll_id, user, [chat % 3])
            pushed = time.perf_counter() - started
            await wait_for_count(app, PollAnswer, len(copies), timeout=1200)
            stored_in = time.perf_counter() - started
            # Let the live view catch up with the last answers.
            await asyncio.sleep(polls.LIVE_INTERVAL.total_seconds() * 2 + 1)
            edits = sorted(
                call.at
                for call in server.calls_of("editMessageText")
                if str(call.params.get("chat_id")) == str(ORGANIZER) and call.status == 200
            )
            answers_stored = await count(app, PollAnswer)
            print(
                f"  phase 2: {len(copies)} answers pushed over {pushed:.1f} s; all stored "
                f"{stored_in:.1f} s after the first ({answers_stored} rows)"
            )
            gaps = [b - a for a, b in itertools.pairwise(edits)]
            print(
                f"    live results: {len(edits)} edits, shortest gap "
                f"{min(gaps) if gaps else 0:.1f} s; 429 answers: "
                f"{server.rejected_429 - rejected_before}"
            )
            final = server.current_messages(ORGANIZER)[0].get("text", "")
            print(f"    final view shows {people} of {people}: {f'{people} / {people}' in final}")
            async with app.session_factory() as session:
                poll = await session.get(Poll, poll_id)
                assert poll is not None
                started = time.perf_counter()
                await polls.results(session, poll, "ky")
                await polls.delivery_counts(session, poll_id)
                refresh = time.perf_counter() - started
            print(
                f"    one refresh's queries over {answers_stored} answers: {refresh * 1000:.0f} ms"
            )
            await sweep_poll_results(app)
        finally:
            with suppress(RuntimeError):
                await app.dp.stop_polling()
            await asyncio.wait_for(polling, timeout=30)
            await app.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--limit", type=float, default=200)
    parser.add_argument("--window", type=float, default=60)
    args = parser.parse_args()
    asyncio.run(main(args.people, args.limit, args.window))
