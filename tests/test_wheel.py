"""The built wheel, installed with the locked dependencies into a fresh virtual environment
outside the checkout, migrates its database in the working directory and starts: it answers
/start in Kyrgyz, so the catalogs came with it."""

import asyncio
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.i18n import create_i18n
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import TEST_TOKEN
from tests.redis_fixtures import TEST_REDIS_URL

ROOT = Path(__file__).resolve().parent.parent
DEADLINE = 600.0


def run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=DEADLINE,
    )
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with the locked dependencies and the wheel built from here."""
    if TEST_REDIS_URL:
        pytest.skip("packaging does not depend on the database: checked in the SQLite pass")
    place = tmp_path_factory.mktemp("wheel")
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", place, ROOT, cwd=place)
    (wheel,) = place.glob("kenesh-*.whl")
    run(sys.executable, "-m", "venv", place / "venv", cwd=place)
    pip = place / "venv" / "bin" / "pip"
    lock = ROOT / "requirements" / "runtime.txt"
    run(pip, "install", "--quiet", "--require-hashes", "--no-deps", "-r", lock, cwd=place)
    run(pip, "install", "--quiet", "--no-deps", wheel, cwd=place)
    return place / "venv" / "bin" / "python"


def bot_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "PYTHON"))}
    return {**env, "BOT_TOKEN": TEST_TOKEN, **extra}


def test_the_installed_wheel_migrates_in_the_working_directory(
    installed: Path, tmp_path: Path
) -> None:
    output = run(installed, "-m", "bot", "migrate", cwd=tmp_path, env=bot_env())
    assert "the database is at the newest schema" in output
    assert (tmp_path / "data" / "kenesh.sqlite3").is_file()
    # The code that ran is the installed one, not this checkout's.
    where = run(installed, "-c", "import bot; print(bot.__file__)", cwd=tmp_path, env=bot_env())
    assert "site-packages" in where and str(ROOT) not in where


async def test_the_installed_wheel_starts_and_speaks_kyrgyz(
    installed: Path, tmp_path: Path, telegram: FakeTelegramServer
) -> None:
    telegram.add_user(7101, "Айгүл")
    update = telegram.push_update(
        {
            "message": {
                "message_id": 1,
                "date": 1_780_000_000,
                "chat": {"id": 7101, "type": "private", "first_name": "Айгүл"},
                "from": {"id": 7101, "is_bot": False, "first_name": "Айгүл", "language_code": "ky"},
                "text": "/start",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            }
        }
    )
    log = tmp_path / "bot.log"
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            installed,
            "-m",
            "bot",
            cwd=tmp_path,
            env=bot_env(TELEGRAM_API_URL=telegram.base_url),
            stdout=output,
            stderr=output,
        )
    try:
        await telegram.wait_confirmed(update, timeout=DEADLINE)
    except TimeoutError:
        raise AssertionError(f"the bot did not answer; its log:\n{log.read_text()}") from None
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), DEADLINE)
    reply = telegram.messages_to(7101)
    assert reply, log.read_text()
    # Translated, so the catalogs were installed and compiled beside the code.
    assert "кош келиңиз" in reply[0].visible and "Welcome" not in reply[0].visible, reply[0]
    assert (tmp_path / "data" / "kenesh.sqlite3").is_file()


def test_catalogs_in_a_folder_the_bot_cannot_write_are_compiled_in_a_copy(
    tmp_path: Path,
) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales, ignore=shutil.ignore_patterns("*.mo"))
    for language in ("ky", "ru"):
        # Where the compiled catalog would be written, something that is no file (root may
        # write anywhere, so read-only permissions would not stop it in the tests).
        (locales / language / "LC_MESSAGES" / "messages.mo.tmp").mkdir()
    i18n = create_i18n(locales)
    assert Path(i18n.path) != locales
    assert i18n.gettext("Language", locale="ky") == "Тил"
    assert i18n.gettext("Language", locale="ru") == "Язык"
