"""Starting the bot with bad settings gives one clear line on stderr and exit status 2."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456789:" + "A" * 35


def run_bot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
    clean.update(env)
    # Run from an empty folder so no .env of a developer leaks in.
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=clean,
        cwd=tmp_path,
        timeout=300,  # generous: imports alone take many seconds on a busy machine
    )


def test_missing_token_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run_bot(tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "BOT_TOKEN is not set" in lines[0]
    assert "Traceback" not in result.stderr


def test_malformed_token_is_refused(tmp_path: Path) -> None:
    result = run_bot(tmp_path, BOT_TOKEN="not-a-token")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "kenesh: BOT_TOKEN is invalid: BOT_TOKEN does not look like a token from @BotFather"
    ]


def test_bad_admin_ids_are_refused(tmp_path: Path) -> None:
    result = run_bot(tmp_path, BOT_TOKEN=TOKEN, ADMIN_IDS="12, abc")
    assert result.returncode == 2
    assert "ADMIN_IDS" in result.stderr and "Traceback" not in result.stderr


def test_unreachable_database_is_one_line_and_exit_2(tmp_path: Path) -> None:
    # Nothing listens on port 1 of the loopback address.
    result = run_bot(
        tmp_path,
        BOT_TOKEN=TOKEN,
        DATABASE_URL="postgresql+asyncpg://kenesh:secret@127.0.0.1:1/kenesh",
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kenesh: cannot reach the database")
    assert "secret" not in result.stderr


def test_webhook_without_secret_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run_bot(tmp_path, BOT_TOKEN=TOKEN, WEBHOOK_URL="https://kenesh.example.kg/telegram")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "kenesh: WEBHOOK_SECRET must be set with WEBHOOK_URL (Telegram sends it back)"
    ]


def test_unreachable_redis_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run_bot(
        tmp_path,
        BOT_TOKEN=TOKEN,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'kenesh.sqlite3'}",
        REDIS_URL="redis://:hunter2@127.0.0.1:1/0",
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kenesh: cannot reach Redis at REDIS_URL")
    assert "hunter2" not in result.stderr


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single line a refused start prints, after checking it is one line and exit 2."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_database_url_that_is_no_url_is_refused(tmp_path: Path) -> None:
    line = one_line(run_bot(tmp_path, BOT_TOKEN=TOKEN, DATABASE_URL="foo"))
    assert line.startswith("kenesh: DATABASE_URL is invalid: not a database URL; use sqlite")


def test_an_unsupported_database_driver_is_refused(tmp_path: Path) -> None:
    line = one_line(run_bot(tmp_path, BOT_TOKEN=TOKEN, DATABASE_URL="mysql://u:pw@db/kenesh"))
    assert line.startswith("kenesh: DATABASE_URL is invalid: mysql is not supported;")
    line = one_line(
        run_bot(tmp_path, BOT_TOKEN=TOKEN, DATABASE_URL="postgresql+psycopg://u:pw@db/kenesh")
    )
    assert "the psycopg driver is not supported" in line


def test_a_plain_postgresql_url_gets_the_async_driver(tmp_path: Path) -> None:
    # Without the conversion this was "ModuleNotFoundError: psycopg2" and a traceback.
    for scheme in ("postgresql", "postgres"):
        line = one_line(
            run_bot(tmp_path, BOT_TOKEN=TOKEN, DATABASE_URL=f"{scheme}://u:pw@127.0.0.1:1/kenesh")
        )
        assert line.startswith("kenesh: cannot reach the database at DATABASE_URL:"), line
        assert "pw" not in line


def test_a_plain_sqlite_url_gets_the_async_driver(tmp_path: Path) -> None:
    database = tmp_path / "plain" / "kenesh.sqlite3"
    result = run_bot(tmp_path, "migrate", BOT_TOKEN=TOKEN, DATABASE_URL=f"sqlite:///{database}")
    assert result.returncode == 0, result.stderr
    assert "the database is at the newest schema" in result.stdout
    with sqlite3.connect(database) as connection:
        (version,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert version


def test_the_default_database_is_in_the_working_directory(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "migrate", BOT_TOKEN=TOKEN)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "kenesh.sqlite3").is_file()


def test_an_sqlite_folder_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    database = f"sqlite+aiosqlite:///{blocker / 'data' / 'kenesh.sqlite3'}"
    line = one_line(run_bot(tmp_path, BOT_TOKEN=TOKEN, DATABASE_URL=database))
    assert line.startswith(f"kenesh: cannot create the folder {blocker / 'data'}"), line


def test_a_redis_url_without_scheme_is_refused(tmp_path: Path) -> None:
    line = one_line(run_bot(tmp_path, BOT_TOKEN=TOKEN, REDIS_URL="localhost:6379"))
    assert line == (
        "kenesh: REDIS_URL is invalid: it must start with redis://, rediss:// or unix:// "
        "(e.g. redis://127.0.0.1:6379/0)"
    )


def test_migrate_against_a_database_that_refuses_is_one_line(tmp_path: Path) -> None:
    result = run_bot(
        tmp_path,
        "migrate",
        BOT_TOKEN=TOKEN,
        DATABASE_URL="postgresql+asyncpg://kenesh:secret@127.0.0.1:1/kenesh",
    )
    assert one_line(result).startswith("kenesh: cannot reach the database at DATABASE_URL:")
    assert "secret" not in result.stderr


def test_help_lists_the_commands_and_starts_nothing(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: python -m bot [-h] COMMAND ...")
    for command in ("run", "migrate", "backup"):
        assert f"    {command} " in result.stdout
    assert not (tmp_path / "data").exists()


def test_an_unknown_command_prints_the_usage_and_exits_2(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "migrat", BOT_TOKEN=TOKEN)
    assert result.returncode == 2
    assert result.stderr.startswith("usage: python -m bot [-h] COMMAND ...")
    assert "invalid choice: 'migrat'" in result.stderr
    assert not (tmp_path / "data").exists()


def test_backup_needs_a_path(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "backup", BOT_TOKEN=TOKEN)
    assert result.returncode == 2
    assert "the following arguments are required: PATH" in result.stderr


def test_backup_on_postgresql_says_how_to_use_pg_dump(tmp_path: Path) -> None:
    line = one_line(
        run_bot(
            tmp_path,
            "backup",
            "kenesh.dump",
            BOT_TOKEN=TOKEN,
            DATABASE_URL="postgresql://kenesh:secret@db.example.kg:5432/kenesh",
        )
    )
    assert line == (
        "kenesh: DATABASE_URL is PostgreSQL: back it up with PostgreSQL's own tool, e.g. "
        "PGPASSWORD=... pg_dump --format=custom --file=kenesh.dump "
        "'postgresql://kenesh@db.example.kg:5432/kenesh' (restore into an empty database with "
        "pg_restore --dbname='postgresql://kenesh@db.example.kg:5432/kenesh' kenesh.dump)"
    )
