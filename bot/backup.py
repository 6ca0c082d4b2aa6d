"""`python -m bot backup PATH`: a consistent copy of the SQLite database, taken with SQLite's
online backup API, so the bot may keep running (and writing) meanwhile. The copy is one
self-contained file; to restore it, stop the bot and put it in the database's place (README).
PostgreSQL has its own tool for this: the command says how to use pg_dump."""

import os
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from bot.config import Settings

EXIT_CONFIG = 2
# How long the copy may wait for a writer's lock (the bot's transactions are short).
BUSY_TIMEOUT_SECONDS = 30.0


class BackupError(Exception):
    """The copy could not be made; the message says why in one line."""


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copies the database at `source` to `target` (a file, or a folder to put a dated file
    in) and returns the file written. The copy is complete or absent, never half-written."""
    if not source.is_file():
        raise BackupError(f"there is no SQLite database at {source}")
    if target.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        target = target / f"kenesh-{stamp}.sqlite3"
    if target.resolve() == source.resolve():
        raise BackupError("the copy cannot replace the database itself")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"cannot create the folder {target.parent}: {error.strerror}") from None
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        _copy(source, partial)
        partial.replace(target)
    except (OSError, sqlite3.Error) as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"{type(error).__name__}: {error}") from None
    return target


def _copy(source: Path, partial: Path) -> None:
    origin = sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        copy = sqlite3.connect(partial)
        try:
            # All pages in one step: one read transaction, so one consistent moment. In WAL
            # mode the bot goes on writing meanwhile; its later commits are not in the copy.
            origin.backup(copy)
            # One file that needs no -wal beside it, checked before it takes the name.
            copy.execute("PRAGMA journal_mode=DELETE")
            (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
            if verdict != "ok":
                raise BackupError(f"the copy failed SQLite's integrity check: {verdict}")
            copy.commit()
        finally:
            copy.close()
    finally:
        origin.close()
    with partial.open("rb") as written:
        os.fsync(written.fileno())


def pg_dump_hint(database_url: str, target: Path) -> str:
    """How to back up PostgreSQL, with the connection details of DATABASE_URL (no password)."""
    given = make_url(database_url)
    url = URL.create(
        "postgresql", given.username, None, given.host, given.port, given.database
    )  # libpq's form, without the password (pg_dump reads it from PGPASSWORD or ~/.pgpass)
    plain = url.render_as_string(hide_password=False)
    return (
        "DATABASE_URL is PostgreSQL: back it up with PostgreSQL's own tool, e.g. "
        f"PGPASSWORD=... pg_dump --format=custom --file={target} '{plain}' "
        f"(restore into an empty database with pg_restore --dbname='{plain}' {target})"
    )


def run_backup(settings: Settings, target: Path) -> None:
    source = settings.sqlite_path
    if source is None:
        if make_url(settings.database_url).get_backend_name() == "postgresql":
            print(f"kenesh: {pg_dump_hint(settings.database_url, target)}", file=sys.stderr)
        else:
            print("kenesh: an in-memory database cannot be backed up", file=sys.stderr)
        sys.exit(EXIT_CONFIG)
    try:
        written = backup_sqlite(source, target)
    except BackupError as error:
        print(f"kenesh: backup failed: {error}", file=sys.stderr)
        sys.exit(EXIT_CONFIG)
    size = written.stat().st_size
    print(f"kenesh: backup written to {written} ({size / 2**20:.1f} MiB)")
