"""Validation of what people type; each failure names the rule that was broken."""

import re
from datetime import date

from bot.services.errors import InvalidInput

NAME_MIN, NAME_MAX = 2, 100
ORGANISATION_MIN, ORGANISATION_MAX = 2, 200
COUNTRY_MIN, COUNTRY_MAX = 2, 60

# Letters of any script, joined by single spaces, hyphens or apostrophes ("Д'Артаньян").
_NAME = re.compile(r"^[^\W\d_]+(?:(?:[ \-]|['’ʼ]) ?[^\W\d_]+)*$")
_SPACES = re.compile(r"\s+")


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _within(text: str, minimum: int, maximum: int, what: str) -> str:
    """The text with spaces collapsed; `<what>_too_short` or `<what>_too_long` otherwise."""
    value = _collapse(text)
    if len(value) < minimum:
        raise InvalidInput(f"{what}_too_short", minimum=minimum)
    if len(value) > maximum:
        raise InvalidInput(f"{what}_too_long", maximum=maximum, length=len(value))
    return value


def filled(value: str, maximum: int, empty: str, too_long: str) -> str:
    """The text (its caller has trimmed it) if it is not empty (`empty` otherwise) and has at
    most `maximum` characters (`too_long` otherwise, with the length and the maximum)."""
    if not value:
        raise InvalidInput(empty)
    if len(value) > maximum:
        raise InvalidInput(too_long, length=len(value), maximum=maximum)
    return value


def full_name(text: str) -> str:
    value = _within(text, NAME_MIN, NAME_MAX, "name")
    if not _NAME.match(value):
        raise InvalidInput("name_bad_characters")
    return value


def organisation(text: str) -> str:
    return _within(text, ORGANISATION_MIN, ORGANISATION_MAX, "organisation")


def country_name(text: str) -> str:
    value = _collapse(text)
    if not COUNTRY_MIN <= len(value) <= COUNTRY_MAX or not _NAME.match(value):
        raise InvalidInput("country_invalid", minimum=COUNTRY_MIN, maximum=COUNTRY_MAX)
    return value


def phone_number(raw: str) -> str:
    digits = re.sub(r"[^\d+]", "", raw)
    if not digits.startswith("+"):
        digits = "+" + digits
    if not 8 <= len(digits) <= 16:
        raise InvalidInput("phone_invalid")
    return digits


DAY_PATTERN = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")


def parse_day(text: str) -> date:
    """'21.12.2026' -> a date; InvalidInput("day_format") for anything else."""
    match = DAY_PATTERN.match(text)
    if match is None:
        raise InvalidInput("day_format")
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput("day_format") from None
