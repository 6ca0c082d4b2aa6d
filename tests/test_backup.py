"""`python -m bot backup PATH` while the bot is busy: an announcement going out through the
outbox and proposals being submitted. The copy, restored into a fresh file as the README
says, holds every row committed before the backup began, nothing that never was, and opens
as a healthy database at the newest schema."""

import asyncio
import os
import shutil
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.services import proposals
from bot.services.proposals import ProposalDraft
from db.models import User
from tests.db_fixtures import session_on
from tests.e2e import person
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import ADMIN_ID, TEST_TOKEN, RunningBot
from tests.people import Participant, add_participants
from tests.test_announcements import compose

PEOPLE = range(410000, 410600)
AUTHORS = range(411000, 411010)
DEADLINE = 300.0


def rows(path: Path) -> tuple[set[int], set[int], set[int], str]:
    """Proposal ids, outbox ids, the ids of outbox rows marked sent, the schema version."""
    with closing(sqlite3.connect(path)) as db:
        proposal_ids = {i for (i,) in db.execute("SELECT id FROM proposals")}
        outbox_ids = {i for (i,) in db.execute("SELECT id FROM outbox_messages")}
        sent = {i for (i,) in db.execute("SELECT id FROM outbox_messages WHERE status = 'sent'")}
        (version,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
    return proposal_ids, outbox_ids, sent, version


async def test_a_backup_taken_while_the_bot_writes_holds_every_committed_row(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str, tmp_path: Path
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL is backed up with pg_dump (the command says so: test_config)")
    database = Path(database_url.split(":///", 1)[1])
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ky", full_name="Админ"),
        *(Participant(i, "ky") for i in [*PEOPLE, *AUTHORS]),
    )
    telegram.add_users([*PEOPLE, *AUTHORS, ADMIN_ID])

    # An announcement to 600 people: at 25 messages a second it goes out for half a minute.
    organizer = person(telegram, ADMIN_ID, "ky", "Админ")
    await compose(organizer, "Нарында коомдук угуу 12-декабрда болот", None)
    await organizer.press("Катталгандардын баары")
    await organizer.press("Жөнөтүү")

    # Proposals submitted one after another, each committed, until the copy is made.
    committed: list[int] = []
    submitting, copied = asyncio.Event(), asyncio.Event()

    async def submit_proposals() -> None:
        async with session_on(database_url) as session:
            authors = list(await session.scalars(select(User).where(User.telegram_id.in_(AUTHORS))))
            n = 0
            while not copied.is_set():
                author = authors[n % len(authors)]
                draft = ProposalDraft("education", "naryn", f"Айылга жаңы мектеп керек №{n}")
                proposal = await proposals.submit(session, author, draft, daily_limit=10**6)
                await session.commit()
                committed.append(proposal.id)
                n += 1
                if n == 5:
                    submitting.set()

    writer = asyncio.create_task(submit_proposals())
    await telegram.wait_sent(lambda m: m.chat_id in PEOPLE, timeout=DEADLINE)  # sending began
    started = asyncio.create_task(submitting.wait())
    await asyncio.wait({started, writer}, timeout=DEADLINE, return_when=asyncio.FIRST_COMPLETED)
    assert submitting.is_set(), writer.exception() if writer.done() else "no proposal submitted"

    proposals_before, outbox_before, sent_before, _ = rows(database)
    target = tmp_path / "backups"
    target.mkdir()
    env = {**os.environ, "BOT_TOKEN": TEST_TOKEN, "DATABASE_URL": database_url}
    backup = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "backup",
        str(target),
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(backup.communicate(), DEADLINE)
    copied.set()
    await writer
    assert backup.returncode == 0, err.decode()
    (written,) = target.glob("kenesh-*.sqlite3")
    assert out.decode().startswith(f"kenesh: backup written to {written} (")
    assert not list(target.glob("*.partial"))

    # Both kinds of writes went on while the copy was taken.
    assert len(committed) > len(proposals_before & set(committed))
    assert len(sent_before) < len(PEOPLE)

    # Restored as the README says: the copy put in place of a database, alone.
    restored = tmp_path / "restored" / "kenesh.sqlite3"
    restored.parent.mkdir()
    shutil.copy(written, restored)
    with closing(sqlite3.connect(restored)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    proposals_copy, outbox_copy, sent_copy, version = rows(restored)
    # Every row committed before the backup began is there, as it was then or later...
    assert proposals_before <= proposals_copy
    assert outbox_before <= outbox_copy
    assert sent_before <= sent_copy
    # ...and nothing that was never committed: the copy is one moment of the database.
    proposals_now, outbox_now, sent_now, version_now = rows(database)
    assert proposals_copy <= proposals_now and set(committed) <= proposals_now
    assert outbox_copy <= outbox_now and sent_copy <= sent_now
    assert proposals_copy == {i for i in proposals_now if i <= max(proposals_copy)}
    assert version == version_now
