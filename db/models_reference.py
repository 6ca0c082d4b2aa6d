"""Reference data people pick from (regions, topics, categories, countries, event kinds)."""

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


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
