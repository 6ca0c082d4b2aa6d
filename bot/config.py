"""Settings from the environment or `.env`: the only place that reads os.environ."""

import re
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ROOT = Path(__file__).resolve().parent.parent
# Relative to the working directory (not to the installed code, which may sit in site-packages).
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/kenesh.sqlite3"
OFFICIAL_API_URL = "https://api.telegram.org"

# Telegram tokens look like "123456789:AAH...": a numeric bot id, a colon, 35 url-safe characters.
_TOKEN_PATTERN = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{30,60}$")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr
    database_url: str = DEFAULT_DATABASE_URL
    telegram_api_url: str = OFFICIAL_API_URL
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    timezone: str = "Asia/Bishkek"
    log_level: str = "INFO"
    # The catalogs: the repository's locales/, also installed beside the packages by pip.
    locales_dir: Path = ROOT / "locales"
    # Telegram unreachable at start: this many tries, waiting 1, 2, 4... s (at most 30) between.
    telegram_start_attempts: int = Field(default=6, ge=1)

    # Every call to Telegram (replies and the outbox) keeps to this overall rate; Telegram
    # allows about 30 messages a second per bot. Replies come first.
    telegram_rate_per_second: float = Field(default=25.0, gt=0)
    # The outbox takes what replies leave, at most this many a second, and at most one
    # message per interval to one chat.
    outbox_rate_per_second: float = Field(default=25.0, gt=0)
    outbox_chat_interval_seconds: float = Field(default=1.0, ge=0)
    outbox_max_attempts: int = Field(default=6, ge=1)
    # An announcement's outbox rows are kept this long after it finished, then compacted
    # into its figures (delivered, blocked, failed, stopped).
    outbox_keep_days: float = Field(default=30, gt=0)
    proposals_per_day: int = Field(default=10, ge=1)

    # Webhook mode (instead of polling) when WEBHOOK_URL is set: Telegram posts updates to
    # WEBHOOK_URL, which a load balancer routes to WEBHOOK_HOST:WEBHOOK_PORT/WEBHOOK_PATH.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    webhook_path: str = "/telegram"
    # The public web site (bot/web): on when PUBLIC_URL (its address, e.g. https://kenesh.kg)
    # is set; served on the webhook server in webhook mode, else on WEB_HOST:WEB_PORT.
    public_url: str | None = None
    web_host: str = "0.0.0.0"
    web_port: int = Field(default=8081, ge=1, le=65535)
    # Several processes: conversation state, event isolation, throttling and the sending pace
    # are shared through Redis when REDIS_URL is set (e.g. redis://127.0.0.1:6379/0).
    redis_url: str | None = None
    # Each person may send this many messages or button presses per window; more are ignored.
    throttle_updates: int = Field(default=30, ge=1)
    throttle_window_seconds: float = Field(default=10.0, gt=0)
    # A row claimed longer ago than this belongs to a process that died mid-send.
    outbox_claim_lease_seconds: float = Field(default=60, gt=0)
    # Follow-up of proposals forwarded to agencies (days).
    agency_remind_before_days: int = Field(default=3, ge=0)
    agency_remind_every_days: int = Field(default=3, ge=1)
    agency_escalate_after_days: int = Field(default=7, ge=1)
    agency_satisfaction_after_days: int = Field(default=7, ge=1)
    agency_invitation_days: int = Field(default=7, ge=1)

    @field_validator("bot_token")
    @classmethod
    def _token_format(cls, value: SecretStr) -> SecretStr:
        if not _TOKEN_PATTERN.match(value.get_secret_value().strip()):
            raise ValueError("BOT_TOKEN does not look like a token from @BotFather")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return normalize_database_url(value)

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not re.match(r"^(redis|rediss|unix)://", value.strip()):
            raise ValueError(
                "it must start with redis://, rediss:// or unix:// (e.g. redis://127.0.0.1:6379/0)"
            )
        return value.strip()

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            try:
                return frozenset(int(part) for part in parts)
            except ValueError:
                raise ValueError("ADMIN_IDS must be comma-separated numeric Telegram ids") from None
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"TIMEZONE {value!r} is not a known time zone") from None
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> "Settings":
        if self.webhook_url and not self.webhook_secret:
            raise ValueError("WEBHOOK_SECRET must be set with WEBHOOK_URL (Telegram sends it back)")
        if self.webhook_secret and not re.fullmatch(
            r"[A-Za-z0-9_-]{1,256}", self.webhook_secret.get_secret_value()
        ):
            raise ValueError("WEBHOOK_SECRET may use only A-Z, a-z, 0-9, _ and -, up to 256")
        return self

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite database file, or None for PostgreSQL or an in-memory database."""
        url = make_url(self.database_url)
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            return None
        return Path(url.database)  # type: ignore[arg-type]

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def uses_official_api(self) -> bool:
        return self.telegram_api_url.rstrip("/") == OFFICIAL_API_URL


_ASYNC_DRIVERS = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}
_DATABASE_EXAMPLE = (
    "use sqlite+aiosqlite:///./data/kenesh.sqlite3 or postgresql+asyncpg://user:password@host/db"
)


def normalize_database_url(value: str) -> str:
    """Accepts the usual spellings (postgres://, postgresql://, sqlite:///) and names the async
    driver the bot runs on; anything else is refused with a reason that fits on one line."""
    text = value.strip()
    try:
        url = make_url(text)
    except ArgumentError:
        raise ValueError(f"not a database URL; {_DATABASE_EXAMPLE}") from None
    dialect, _, driver = url.drivername.partition("+")
    backend = "postgresql" if dialect == "postgres" else dialect
    if backend not in _ASYNC_DRIVERS:
        raise ValueError(f"{dialect} is not supported; {_DATABASE_EXAMPLE}")
    if driver and driver != _ASYNC_DRIVERS[backend]:
        raise ValueError(f"the {driver} driver is not supported; {_DATABASE_EXAMPLE}")
    if backend == "sqlite" and url.host:
        raise ValueError(f"an SQLite URL has three slashes before the path; {_DATABASE_EXAMPLE}")
    # Only the scheme changes: the rest (password, query) stays exactly as written.
    return f"{backend}+{_ASYNC_DRIVERS[backend]}" + text[text.index("://") :]
