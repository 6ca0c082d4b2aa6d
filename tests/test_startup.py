"""`python -m bot` as a person starts it, against the fake Bot API: a revoked token and a
Telegram that cannot be reached each end in one line and exit 2 (the latter after retrying,
one log line per try); a bot that talks to Telegram never writes its token to the log."""

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from tests.fake_bot_api import FakeTelegramServer
from tests.harness import TEST_TOKEN
from tests.processes import free_port

# Importing aiogram alone takes seconds on a busy machine: deadlines are generous.
START_DEADLINE = 300.0


async def start_bot(tmp_path: Path, *args: str, **env: str) -> asyncio.subprocess.Process:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    clean.update(
        {
            "BOT_TOKEN": TEST_TOKEN,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'kenesh.sqlite3'}",
            **env,
        }
    )
    log = (tmp_path / "bot.log").open("wb")
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=clean, cwd=tmp_path, stdout=log, stderr=log
    )


def log_of(tmp_path: Path) -> str:
    return (tmp_path / "bot.log").read_text(encoding="utf-8", errors="replace")


async def logged(tmp_path: Path, text: str, timeout: float) -> None:
    """Waits until the bot process has written `text` to its log."""
    async with asyncio.timeout(timeout):
        while True:
            if text in log_of(tmp_path):
                return
            await asyncio.sleep(0.1)


async def exit_status(process: asyncio.subprocess.Process, tmp_path: Path) -> int:
    try:
        return await asyncio.wait_for(process.wait(), START_DEADLINE)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise AssertionError(f"the bot did not stop; its log:\n{log_of(tmp_path)}") from None


@asynccontextmanager
async def running_bot_process(tmp_path: Path, **env: str) -> AsyncIterator[None]:
    """The bot runs inside the block, and is stopped with SIGTERM after it; a wait in the
    block that times out fails the test with the bot's log."""
    process = await start_bot(tmp_path, **env)
    try:
        yield
    except TimeoutError:
        raise AssertionError(f"the bot did not answer; its log:\n{log_of(tmp_path)}") from None
    finally:
        process.send_signal(signal.SIGTERM)
        await exit_status(process, tmp_path)


async def test_a_revoked_token_is_one_line_and_exit_2(
    tmp_path: Path, telegram: FakeTelegramServer
) -> None:
    telegram.fail_next("getMe", status=401, retry_after=None, description="Unauthorized")
    process = await start_bot(tmp_path, TELEGRAM_API_URL=telegram.base_url)
    assert await exit_status(process, tmp_path) == 2, log_of(tmp_path)
    assert log_of(tmp_path).strip().splitlines() == [
        "kenesh: Telegram refused BOT_TOKEN (revoked or mistyped): "
        "get the bot's current token from @BotFather (/mybots, API Token)"
    ]
    assert [call.method for call in telegram.calls] == ["getMe"]


async def test_telegram_unreachable_at_start_is_retried_then_one_line(tmp_path: Path) -> None:
    # Nothing listens on this port: every try fails at once with a network error.
    api_url = f"http://127.0.0.1:{free_port()}"
    process = await start_bot(tmp_path, TELEGRAM_API_URL=api_url, TELEGRAM_START_ATTEMPTS="3")
    assert await exit_status(process, tmp_path) == 2, log_of(tmp_path)
    lines = log_of(tmp_path).strip().splitlines()
    assert "Traceback" not in log_of(tmp_path)
    assert len(lines) == 3, lines
    assert "Telegram unreachable (attempt 1 of 3): " in lines[0]
    assert lines[0].endswith("; trying again in 1 s")
    assert "Telegram unreachable (attempt 2 of 3): " in lines[1]
    assert lines[1].endswith("; trying again in 2 s")
    assert lines[2].startswith(f"kenesh: cannot reach Telegram at {api_url} after 3 attempts: ")


async def test_telegram_failing_at_start_then_answering_is_waited_for(
    tmp_path: Path, telegram: FakeTelegramServer
) -> None:
    telegram.fail_next("getMe", status=502, retry_after=None, description="Bad Gateway", times=2)
    update = telegram.push_update(start_message(telegram, 7001))
    async with running_bot_process(tmp_path, TELEGRAM_API_URL=telegram.base_url):
        await telegram.wait_sent(lambda m: m.chat_id == 7001, timeout=START_DEADLINE)
        await telegram.wait_confirmed(update, timeout=START_DEADLINE)
    tries = [line for line in log_of(tmp_path).splitlines() if "Telegram unreachable" in line]
    assert len(tries) == 2, log_of(tmp_path)
    assert [call.method for call in telegram.calls[:3]] == ["getMe"] * 3


async def test_token_never_reaches_the_log(tmp_path: Path, telegram: FakeTelegramServer) -> None:
    """At DEBUG, through real calls: start-up, commands, updates, replies, and Telegram's
    errors (a 500 at start, and on a reply)."""
    telegram.fail_next("getMe", status=500, retry_after=None, description="Internal Server Error")
    first = telegram.push_update(start_message(telegram, 7002))
    async with running_bot_process(tmp_path, TELEGRAM_API_URL=telegram.base_url, LOG_LEVEL="DEBUG"):
        await telegram.wait_sent(lambda m: m.chat_id == 7002, timeout=START_DEADLINE)
        await telegram.wait_confirmed(first, timeout=START_DEADLINE)
        telegram.fail_next("sendMessage", status=500, retry_after=None, description="Oops")
        second = telegram.push_update(start_message(telegram, 7003))
        await telegram.wait_confirmed(second, timeout=START_DEADLINE)
        # Polling confirms an update before its handler is done: wait for the failed reply.
        await logged(tmp_path, "Oops", timeout=START_DEADLINE)
    log = log_of(tmp_path)
    # The log did record the calls (so the check below looks at something)...
    assert "Telegram unreachable (attempt 1 of 6)" in log
    assert "Update id=" in log and "is handled" in log
    assert "Oops" in log
    # ...and neither the token nor its secret half is in it.
    assert TEST_TOKEN not in log
    assert TEST_TOKEN.split(":")[1] not in log


def start_message(telegram: FakeTelegramServer, user_id: int) -> dict:  # type: ignore[type-arg]
    telegram.add_user(user_id, "Айгүл")
    user = {"id": user_id, "is_bot": False, "first_name": "Айгүл", "language_code": "ky"}
    return {
        "message": {
            "message_id": 1,
            "date": 1_780_000_000,
            "chat": {"id": user_id, "type": "private", "first_name": "Айгүл"},
            "from": user,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        }
    }
