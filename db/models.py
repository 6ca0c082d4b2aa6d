"""SQLAlchemy 2 typed models. Every schema change goes through an Alembic migration."""

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names, so migrations render the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the offset otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; the database stores UTC-aware times only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


class LocalizedName:
    """Reference rows carry their name in both languages; organizers may edit them."""

    name_ky: Mapped[str]
    name_ru: Mapped[str]

    def name(self, locale: str | None) -> str:
        return self.name_ky if locale == "ky" else self.name_ru


class Region(LocalizedName, Base):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_ky: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # Where a person can live; "national" applies to proposals only.
    is_residence: Mapped[bool] = mapped_column(Boolean, default=True)


class Topic(LocalizedName, Base):
    __tablename__ = "topics"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_ky: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class StakeholderCategory(LocalizedName, Base):
    __tablename__ = "stakeholder_categories"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_ky: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Country(LocalizedName, Base):
    """Quick picks for compatriots abroad; anything else is typed as free text."""

    __tablename__ = "countries"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name_ky: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class EventKind(LocalizedName, Base):
    __tablename__ = "event_kinds"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_ky: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    language: Mapped[str | None] = mapped_column(String(8))
    # "given" or "declined"; None until asked. Personal fields below are filled only after "given".
    consent: Mapped[str | None] = mapped_column(String(16))
    consent_at: Mapped[datetime | None]
    full_name: Mapped[str | None] = mapped_column(String(100))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    country_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"))
    country_other: Mapped[str | None] = mapped_column(String(100))
    category_code: Mapped[str | None] = mapped_column(ForeignKey("stakeholder_categories.code"))
    gender: Mapped[str | None] = mapped_column(String(16))  # "female", "male" or None
    organisation: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    registered_at: Mapped[datetime | None]
    is_organizer: Mapped[bool] = mapped_column(Boolean, default=False)
    # False after Telegram answered 403 (blocked, deactivated); True again when they write.
    is_reachable: Mapped[bool] = mapped_column(Boolean, default=True)
    announcements_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def is_registered(self) -> bool:
        return self.registered_at is not None

    @property
    def lives_abroad(self) -> bool:
        return self.region_code == "abroad"


class FsmState(Base):
    """aiogram conversation state, kept in the database so it survives a restart."""

    __tablename__ = "fsm_states"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OutboxMessage(Base):
    """A message that is not a direct reply: written in the transaction that causes it,
    rendered in the recipient's language and sent by bot/delivery.py."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    # Name of a registered notice renderer (bot/notices.py) and its parameters.
    template: Mapped[str] = mapped_column(String(60))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Optional attachment: a Telegram file_id or a path under the data directory.
    attachment_kind: Mapped[str | None] = mapped_column(String(16))  # "photo" or "document"
    attachment_ref: Mapped[str | None] = mapped_column(Text)
    # Makes "send exactly once" a constraint, not a hope: reminders use a deterministic key.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    # Announcements and bypassing the person's opt-out are decided by the enqueuer.
    broadcast_id: Mapped[int | None] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(
        String(16), default="pending"
    )  # pending/sending/sent/failed/dropped
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
