"""A clean stop in the middle of an announcement: the message in hand is finished and
recorded, the rest go back to the queue, the leases are given back, and the database is
free at once for the next start (SQLite: no lock left behind by a cancelled transaction)."""

import sqlite3

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.app import build_app, start_background
from bot.delivery import BATCH
from bot.services import outbox
from db.engine import is_sqlite
from db.models import Lease, OutboxMessage, User, utcnow
from tests.db_fixtures import session_on
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import make_settings
from tests.people import Participant, add_participants

PEOPLE = range(7001, 7061)


async def queue_one_each(database_url: str) -> None:
    async with session_on(database_url) as session:
        for user_id in await session.scalars(select(User.id)):
            await outbox.enqueue(
                session,
                user_id=user_id,
                kind="test",
                template="text",
                params={"texts": {"ky": "Жаңылык", "ru": "Новость"}},
            )
        await session.commit()


async def outbox_statuses(database_url: str) -> dict[str, int]:
    async with session_on(database_url) as session:
        counted = await session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
        statuses = {status: count for status, count in counted.all()}
        leases_held = await session.scalar(
            select(func.count()).select_from(Lease).where(Lease.expires_at > utcnow())
        )
    statuses["leases held"] = leases_held or 0
    return statuses


async def test_a_stop_mid_announcement_loses_nothing_and_leaves_the_database_free(
    database_url: str, telegram: FakeTelegramServer
) -> None:
    app = await build_app(make_settings(database_url, telegram.base_url))
    await add_participants(database_url, *(Participant(i, "ky") for i in PEOPLE))
    telegram.add_users(list(PEOPLE))
    await queue_one_each(database_url)
    await start_background(app)
    await telegram.wait_sent(lambda _: len(telegram.calls_of("sendMessage")) >= 5)

    await app.close()

    delivered = len(telegram.calls_of("sendMessage"))
    # It stopped within the batch it had claimed, after the message in hand.
    assert 5 <= delivered < BATCH
    # Everything Telegram got is recorded as sent; the rest wait for the next start.
    statuses = await outbox_statuses(database_url)
    assert statuses == {"sent": delivered, "pending": len(PEOPLE) - delivered, "leases held": 0}
    if is_sqlite(database_url):
        with sqlite3.connect(make_url(database_url).database or "", timeout=0) as connection:
            connection.execute("BEGIN IMMEDIATE")  # "database is locked" if a writer is left
            connection.rollback()
