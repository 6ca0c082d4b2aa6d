"""Starting the bot with bad settings gives one clear line on stderr and exit status 2."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456789:" + "A" * 35


def run_bot(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
    clean.update(env)
    # Run from an empty folder so no .env of a developer leaks in.
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        capture_output=True,
        text=True,
        env=clean,
        cwd=tmp_path,
        timeout=60,
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


def test_token_never_reaches_the_log(tmp_path: Path) -> None:
    result = run_bot(tmp_path, BOT_TOKEN=TOKEN, DATABASE_URL="postgresql+asyncpg://u@127.0.0.1:1/x")
    assert TOKEN not in result.stderr + result.stdout


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
