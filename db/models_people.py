"""People and what the bot keeps of their conversations: the user, the FSM state, button lists."""

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow


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
    # Their own time zone (IANA name) chosen in /profile; when empty, a compatriot abroad has
    # the zone of their country (bot/services/local_time.py).
    time_zone: Mapped[str | None] = mapped_column(String(64))

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


class ButtonList(Base):
    """A list of ids a button acts on (e.g. "publish all on this page"), kept on the server
    under a short token so the callback data stays within Telegram's 64 bytes and every
    process can read it."""

    __tablename__ = "button_lists"

    token: Mapped[str] = mapped_column(String(16), primary_key=True)
    payload: Mapped[str] = mapped_column(Text)  # ids comma-separated, or a search query
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
