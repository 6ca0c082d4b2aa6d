"""Two bot processes on one PostgreSQL and one Redis, in webhook mode behind a load balancer:
an announcement to 2,000 people and a round of agency reminders go out exactly once within
the configured rate; one process killed mid-announcement and the other finishes it; a
conversation begun on one process goes on on the other."""

import asyncio
import itertools
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import prepare_database
from bot.delivery import IN_FLIGHT
from bot.i18n import format_number
from bot.services import agencies
from db.models import OutboxMessage, Proposal, User, utcnow
from tests.db_fixtures import session_on
from tests.e2e import person, texts
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import ADMIN_ID, make_settings
from tests.people import Participant, add_participants
from tests.processes import BotProcess, LoadBalancer, bot_env
from tests.test_announcements import compose, outbox_counts, wait_until

RATE = 100  # OUTBOX_RATE_PER_SECOND of the two processes together
SEND_KY = "Жөнөтүү"
AUTHOR = 309000


@dataclass
class Cluster:
    database_url: str
    redis_url: str
    telegram: FakeTelegramServer
    log_dir: Path
    balancer: LoadBalancer
    processes: list[BotProcess] = field(default_factory=list)

    async def start(self, count: int = 2, **settings: str) -> list[BotProcess]:
        rates = {"OUTBOX_RATE_PER_SECOND": str(RATE), "TELEGRAM_RATE_PER_SECOND": str(RATE)}
        env = bot_env(
            self.database_url,
            self.redis_url,
            self.telegram.base_url,
            self.balancer.url,
            **{**rates, **settings},
        )
        started = [BotProcess(f"kenesh-{i + 1}", self.log_dir, env) for i in range(count)]
        self.processes += started
        self.balancer.backends += started
        await asyncio.gather(*(process.start() for process in started))
        return started


@pytest.fixture
async def cluster(
    database_url: str, redis_url: str, telegram: FakeTelegramServer, tmp_path: Path
) -> AsyncIterator[Cluster]:
    if not database_url.startswith("postgresql"):
        pytest.skip("several processes share PostgreSQL: run with TEST_DATABASE_URL (make test)")
    engine, _ = await prepare_database(make_settings(database_url, telegram.base_url))
    await engine.dispose()
    # Telegram's own limit, a little above what the bots are told to keep to together.
    telegram.set_rate_limit(RATE * 1.2)
    balancer = await LoadBalancer().start()
    cluster = Cluster(database_url, redis_url, telegram, tmp_path, balancer)
    try:
        yield cluster
    finally:
        # Shown when a test fails: how far the outbox got.
        print("outbox:", await outbox_counts(database_url), "sent:", telegram.sent_count)
        await asyncio.gather(*(process.stop() for process in cluster.processes))
        await balancer.stop()


async def forwarded_items(database_url: str, reps: list[int], items_per_rep: int) -> None:
    """Each representative's agency has `items_per_rep` proposals, forwarded 20 days ago and
    overdue since: one reminder is due for each (not one per missed slot)."""
    settings = make_settings(database_url, "http://127.0.0.1:1")
    async with session_on(database_url) as session:
        organizer = await session.scalar(select(User).where(User.telegram_id == ADMIN_ID))
        author = await session.scalar(select(User).where(User.telegram_id == AUTHOR))
        assert organizer is not None and author is not None
        for n, rep_id in enumerate(reps):
            agency = await agencies.add_agency(
                session, f"ag-{n}", f"Агенттик {n}", f"Агентство {n}", 14, False
            )
            rep = await session.scalar(select(User).where(User.telegram_id == rep_id))
            _, token = await agencies.create_invitation(session, agency, organizer)
            await agencies.accept_invitation(session, token, rep)
            for i in range(items_per_rep):
                proposal = Proposal(
                    author_id=author.id,
                    topic_code="education",
                    region_code="batken",
                    text=f"Айылдагы мектепке жаңы имарат керек ({n}-{i})",
                    status="published",
                )
                session.add(proposal)
                await session.flush()
                await agencies.forward(
                    session, proposal, agency, organizer, settings.tz, now=utcnow() - timedelta(20)
                )
        await session.commit()


async def sent_rows_to_others(database_url: str) -> int:
    """Outbox rows sent to anyone but the organizer (whose chat also holds direct replies)."""
    async with session_on(database_url) as session:
        count = await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .join(User, User.id == OutboxMessage.user_id)
            .where(OutboxMessage.status == "sent", User.telegram_id != ADMIN_ID)
        )
    return count or 0


def delivered(telegram: FakeTelegramServer, chat_id: int, needle: str) -> int:
    return sum(1 for m in telegram.messages_to(chat_id) if not m.edited and needle in m.visible)


async def test_two_processes_send_an_announcement_and_reminders_exactly_once_within_the_rate(
    cluster: Cluster, telegram: FakeTelegramServer, database_url: str
) -> None:
    people = range(300000, 302000)
    reps = [309001, 309002, 309003]
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Админ"),
        *(Participant(i, "ky" if i % 2 else "ru") for i in people),
        *(Participant(i, "ky") for i in [AUTHOR, *reps]),
    )
    telegram.add_users([*people, *reps, AUTHOR, ADMIN_ID])
    # Three items each: a reminder for each (from GROUPED_FROM they would come as one list).
    await forwarded_items(database_url, reps, items_per_rep=3)
    # Telegram's own limit, a little above what the bot is told to keep to.
    telegram.set_rate_limit(RATE * 1.2)
    await cluster.start(2)  # each runs the agency sweep on start: one of them takes it

    organizer = person(telegram, ADMIN_ID, "ru", "Админ")
    await compose(organizer, "Улуттук форум 5-декабрда", "Национальный форум 5 декабря")
    await organizer.press("Все зарегистрированные")
    await organizer.press("Отправить")
    everyone = len(people) + len(reps) + 2
    report = await organizer.wait_for(lambda m: "Объявление: отчёт" in m.visible, timeout=300)
    assert f"Доставлено: {format_number(everyone, 'ru')}" in report.visible

    async def all_sent() -> bool:
        return set(await outbox_counts(database_url)) == {"sent"}

    await wait_until(all_sent, timeout=180)
    for chat in people:
        text = "Улуттук форум" if chat % 2 else "Национальный форум"
        assert delivered(telegram, chat, text) == 1, chat
    for rep in reps:
        reminders = [m.visible for m in telegram.messages_to(rep) if "🔔" in m.visible]
        assert len(reminders) == 3, reminders  # one per item, though several slots were missed
        assert len({r.split("\n")[0] for r in reminders}) == 3  # three different proposals
        assert delivered(telegram, rep, "Улуттук форум") == 1
        # Seven messages to one chat, from two processes: still about one a second. Times are
        # when the fake received them: a loaded machine delays one send by up to a second
        # after its turn, so never three in one second, and six seconds or so in all.
        times = [m.at for m in telegram.messages_to(rep)]
        assert len(times) == 7 and times[-1] - times[0] > 5.0
        assert min(b - a for a, b in zip(times, times[2:], strict=False)) > 1.0

    # Both processes took part, and together kept to the configured rate.
    assert set(cluster.balancer.handled_by.values()) == {"kenesh-1", "kenesh-2"}
    assert telegram.rejected_429 == 0
    sends = sorted(m.at for m in telegram.sent if not m.edited and m.chat_id != ADMIN_ID)
    assert len(sends) == await sent_rows_to_others(database_url)  # no row sent twice
    assert (len(sends) - 1) / (sends[-1] - sends[0]) <= RATE * 1.02


async def test_a_process_killed_mid_announcement_and_the_other_finishes_it(
    cluster: Cluster, telegram: FakeTelegramServer, database_url: str
) -> None:
    people = range(310000, 311000)
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ky", full_name="Админ"),
        *(Participant(i, "ky") for i in people),
    )
    telegram.add_users([*people, ADMIN_ID])
    first, _second = await cluster.start(2, OUTBOX_CLAIM_LEASE_SECONDS="3")

    organizer = person(telegram, ADMIN_ID, "ky", "Админ")
    await compose(organizer, "Талас шаарында тегерек үстөл болот", None)
    await organizer.press("Катталгандардын баары")
    await organizer.press(SEND_KY)

    async def a_third_sent() -> bool:
        return telegram.sent_count >= 300

    await wait_until(a_third_sent, timeout=180)
    await first.kill()

    report = await organizer.wait_for(lambda m: "Кулактандыруу: жыйынтык" in m.visible, timeout=300)
    assert f"Жеткирилди: {format_number(1001, 'ky')}" in report.visible
    counts = Counter(
        chat for chat in people for _ in range(delivered(telegram, chat, "Талас шаарында"))
    )
    assert set(people) == set(counts)  # nothing lost
    # At most the messages in flight at the kill (IN_FLIGHT at a time) went out twice.
    assert sum(1 for n in counts.values() if n > 1) <= IN_FLIGHT
    assert await outbox_counts(database_url) == {"sent": 1001}


async def test_a_conversation_begun_on_one_process_goes_on_on_the_other(
    cluster: Cluster, telegram: FakeTelegramServer, database_url: str
) -> None:
    await cluster.start(2)
    aigul = person(telegram, 320001, "ky", "Айгүл")
    await aigul.send("/start")
    await aigul.press("Кыргызча")
    await aigul.press("Макулмун")
    await aigul.send("Айгүл Асанова")
    await aigul.press("Талас облусу")
    await aigul.press("Студент")
    await aigul.press("Аял")
    reply = await aigul.press("Өткөрүп жиберүү")
    assert "Телефон номериңиз" in texts(reply)
    handled = [cluster.balancer.handled_by[u] for u in sorted(cluster.balancer.handled_by)]
    # Round robin: each step was handled by the other process than the one before.
    assert len(handled) == 8 and all(a != b for a, b in itertools.pairwise(handled))
    reply = await aigul.share_contact("+996700111222", own=True)
    assert "Сиз катталдыңыз" in texts(reply)

    async with session_on(database_url) as session:
        user = await session.scalar(select(User).where(User.telegram_id == 320001))
        assert user is not None
        assert (user.full_name, user.region_code, user.category_code, user.phone) == (
            "Айгүл Асанова",
            "talas",
            "student",
            "+996700111222",
        )
