"""`python -m bot [run | migrate | backup PATH]`: run the bot (the default) or an administrator's
command. A setting or a service that keeps it from starting is one line on stderr, exit 2."""

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import NoReturn

from pydantic import ValidationError

from bot.config import Settings

EXIT_CONFIG = 2
# Telegram unreachable at start: the waits between tries grow 1, 2, 4... s up to this.
TELEGRAM_MAX_WAIT_SECONDS = 30.0
TELEGRAM_TIMEOUT_SECONDS = 15

log = logging.getLogger("bot")


def _fail(message: str) -> NoReturn:
    print(f"kenesh: {message}", file=sys.stderr)
    sys.exit(EXIT_CONFIG)


def _reason(error: BaseException) -> str:
    """An exception as one line, for the person starting the bot."""
    return f"{type(error).__name__}: {error}".splitlines()[0]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Kenesh, the Telegram bot for public consultations. Settings come from the "
        "environment or a .env file in the working directory (see README).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser(
        "run",
        help="start the bot: polling, or webhook mode when WEBHOOK_URL is set (the default)",
    )
    commands.add_parser(
        "migrate", help="bring the database to the newest schema, seed reference data, exit"
    )
    backup = commands.add_parser(
        "backup",
        help="write a consistent copy of the SQLite database to PATH, also while the bot runs",
    )
    backup.add_argument(
        "path",
        metavar="PATH",
        type=Path,
        help="the copy's file name, or a folder to write kenesh-<date>-<time>.sqlite3 into",
    )
    return parser


def load_settings() -> Settings:
    try:
        return Settings()  # type: ignore[call-arg]
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]).upper()
        if first["type"] == "missing":
            _fail(f"{field} is not set: put it in the environment or in .env (see README).")
        reason = str(first["msg"]).removeprefix("Value error, ")
        _fail(f"{field} is invalid: {reason}" if field else reason)


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    root = logging.getLogger().level
    # aiogram logs every request URL at DEBUG, and the URL carries the token.
    logging.getLogger("aiogram.event").setLevel(max(logging.INFO, root))
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root))
    # APScheduler says "Running job ..." and "... executed successfully" every minute.
    quiet = logging.DEBUG if root <= logging.DEBUG else logging.WARNING
    logging.getLogger("apscheduler.executors").setLevel(quiet)
    logging.getLogger("apscheduler.scheduler").setLevel(quiet)


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    settings = load_settings()
    configure_logging(settings)
    try:
        if args.command == "migrate":
            asyncio.run(migrate(settings))
        elif args.command == "backup":
            from bot.backup import run_backup

            run_backup(settings, args.path)
        else:
            asyncio.run(run(settings))
    except KeyboardInterrupt:
        pass


async def run(settings: Settings) -> None:
    await check_database(settings)
    if settings.redis_url:
        await check_redis(settings.redis_url)
    await check_telegram(settings)
    if settings.webhook_url:
        from bot.webhook import run_webhook

        await run_webhook(settings)
    else:
        from bot.app import run_polling

        await run_polling(settings)


async def migrate(settings: Settings) -> None:
    from bot.app import prepare_database

    await check_database(settings)
    try:
        engine, _ = await prepare_database(settings)
    except Exception as error:
        _fail(f"could not migrate the database at DATABASE_URL: {_reason(error)}")
    await engine.dispose()
    print("kenesh: the database is at the newest schema")


def prepare_sqlite_folder(settings: Settings) -> None:
    path = settings.sqlite_path
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _fail(f"cannot create the folder {path.parent} for the SQLite database: {error.strerror}")


async def check_database(settings: Settings) -> None:
    from sqlalchemy import text

    from db.engine import create_engine

    prepare_sqlite_folder(settings)
    try:
        engine = create_engine(settings.database_url)
    except Exception as error:
        _fail(f"cannot use DATABASE_URL: {_reason(error)}")
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as error:  # any driver error means the same to the person starting it
        _fail(f"cannot reach the database at DATABASE_URL: {_reason(error)}")
    finally:
        await engine.dispose()


async def check_redis(url: str) -> None:
    from redis.asyncio import Redis

    try:
        redis = Redis.from_url(url)
    except ValueError as error:
        _fail(f"REDIS_URL is invalid: {error}")
    try:
        await redis.ping()
    except Exception as error:
        _fail(f"cannot reach Redis at REDIS_URL: {_reason(error)}")
    finally:
        await redis.aclose()


async def check_telegram(settings: Settings) -> None:
    """Asks Telegram who the bot is: a refused token stops at once; a Telegram that cannot be
    reached is tried again with growing waits, one log line per try, then one line and exit."""
    from aiogram.exceptions import (
        TelegramAPIError,
        TelegramNetworkError,
        TelegramRetryAfter,
        TelegramServerError,
        TelegramUnauthorizedError,
    )

    from bot.app import create_bot

    token = settings.bot_token.get_secret_value()
    attempts = settings.telegram_start_attempts
    bot = create_bot(settings)
    try:
        for attempt in range(1, attempts + 1):
            try:
                await bot.get_me(request_timeout=TELEGRAM_TIMEOUT_SECONDS)
                return
            except TelegramUnauthorizedError:
                _fail(
                    "Telegram refused BOT_TOKEN (revoked or mistyped): "
                    "get the bot's current token from @BotFather (/mybots, API Token)"
                )
            except (TelegramNetworkError, TelegramServerError, TelegramRetryAfter) as error:
                reason = _reason(error).replace(token, "<BOT_TOKEN>")
                if attempt == attempts:
                    _fail(
                        f"cannot reach Telegram at {settings.telegram_api_url} "
                        f"after {attempts} attempts: {reason}"
                    )
                wait = min(2.0 ** (attempt - 1), TELEGRAM_MAX_WAIT_SECONDS)
                if isinstance(error, TelegramRetryAfter):
                    wait = max(wait, float(error.retry_after))
                log.warning(
                    "Telegram unreachable (attempt %d of %d): %s; trying again in %g s",
                    attempt,
                    attempts,
                    reason,
                    wait,
                )
                await asyncio.sleep(wait)
            except TelegramAPIError as error:
                reason = _reason(error).replace(token, "<BOT_TOKEN>")
                _fail(f"Telegram at {settings.telegram_api_url} refused getMe: {reason}")
    finally:
        await bot.session.close()


if __name__ == "__main__":
    main()
