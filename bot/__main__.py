"""`python -m bot`: run the bot. Admin subcommands: `migrate` (bring the database to head)."""

import asyncio
import logging
import sys

from pydantic import ValidationError

from bot.config import Settings

EXIT_CONFIG = 2


def _fail(message: str) -> None:
    print(f"kenesh: {message}", file=sys.stderr)
    sys.exit(EXIT_CONFIG)


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
    raise AssertionError("unreachable")


def main(argv: list[str]) -> None:
    settings = load_settings()
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # aiogram logs every request URL at DEBUG, and the URL carries the token.
    logging.getLogger("aiogram.event").setLevel(max(logging.INFO, logging.getLogger().level))
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLogger().level))

    from bot.app import prepare_database, run_polling

    try:
        if argv[:1] == ["migrate"]:

            async def migrate() -> None:
                engine, _ = await prepare_database(settings)
                await engine.dispose()

            asyncio.run(migrate())
            return
        asyncio.run(check_database(settings))
        if settings.redis_url:
            asyncio.run(check_redis(settings.redis_url))
        if settings.webhook_url:
            from bot.webhook import run_webhook

            asyncio.run(run_webhook(settings))
        else:
            asyncio.run(run_polling(settings))
    except KeyboardInterrupt:
        pass


async def check_database(settings: Settings) -> None:
    from sqlalchemy import text

    from db.engine import create_engine

    engine = create_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as error:  # any driver error means the same to the person starting it
        reason = f"{type(error).__name__}: {error}".splitlines()[0]
        _fail(f"cannot reach the database at DATABASE_URL: {reason}")
    finally:
        await engine.dispose()


async def check_redis(url: str) -> None:
    from redis.asyncio import Redis

    redis = Redis.from_url(url)
    try:
        await redis.ping()
    except Exception as error:
        reason = f"{type(error).__name__}: {error}".splitlines()[0]
        _fail(f"cannot reach Redis at REDIS_URL: {reason}")
    finally:
        await redis.aclose()


if __name__ == "__main__":
    main(sys.argv[1:])
