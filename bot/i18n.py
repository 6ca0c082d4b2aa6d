"""gettext catalogs (compiled from .po on start, no manual step), locale resolution, and
date formatting with Babel in the person's locale and the configured time zone."""

import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import I18n
from babel.dates import format_date, format_time, format_timedelta, get_timezone_location
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LANGUAGES = ("ky", "ru")
DEFAULT_LOCALE = "ky"
DOMAIN = "messages"


def N_(msgid: str) -> str:
    """Marks a msgid for extraction where it is translated later (labels, constants)."""
    return msgid


def compile_catalogs(locales_dir: Path) -> None:
    """Compile every messages.po whose .mo is missing or older than it."""
    for po_path in locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        tmp_path = mo_path.with_suffix(".mo.tmp")
        with tmp_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        tmp_path.replace(mo_path)  # atomic, so a concurrent reader never sees half a file


def create_i18n(locales_dir: Path) -> I18n:
    try:
        compile_catalogs(locales_dir)
    except OSError:
        # Installed where the bot may not write (a read-only site-packages): a private copy.
        copy = Path(tempfile.mkdtemp(prefix="kenesh-locales-"))
        shutil.copytree(
            locales_dir, copy, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.mo*")
        )
        compile_catalogs(copy)
        locales_dir = copy
    return I18n(path=locales_dir, default_locale=DEFAULT_LOCALE, domain=DOMAIN)


def language_from_telegram(language_code: str | None) -> str | None:
    """Telegram's client language decides until the person chooses: ky or ru, else ask."""
    if not language_code:
        return None
    base = language_code.split("-")[0].lower()
    return base if base in LANGUAGES else None


def translations(i18n: I18n, msgid: str) -> frozenset[str]:
    """A label in every language: an old keyboard still works after a language switch."""
    return frozenset(i18n.gettext(msgid, locale=locale) for locale in LANGUAGES)


# CLDR's long Kyrgyz date is "2026-ж., 21-сентябрь"; the seed documents write the day first
# and the year in full ("2022-жылдын 21-сентябрында"), so Kyrgyz dates read "21-сентябрь,
# 2026-жыл". Russian keeps CLDR's "21 сентября 2026 г.".
DATE_PATTERNS = {"ky": "d-MMMM, y-'жыл'"}


def format_day(moment: datetime, locale: str, tz: ZoneInfo, *, weekday: bool = False) -> str:
    """'21-сентябрь, 2026-жыл' / '21 сентября 2026 г.', with the weekday first if asked."""
    local = moment.astimezone(tz)
    day = format_date(local, DATE_PATTERNS.get(locale, "long"), locale=locale)
    return f"{format_date(local, 'EEEE', locale=locale)}, {day}" if weekday else day


def format_when(moment: datetime, locale: str, tz: ZoneInfo, *, weekday: bool = False) -> str:
    """'21-сентябрь, 2026-жыл, 10:00' / '21 сентября 2026 г., 10:00' in the zone's time."""
    local = moment.astimezone(tz)
    day = format_day(local, locale, tz, weekday=weekday)
    return f"{day}, {format_time(local, 'HH:mm', locale=locale)}"


def zone_label(zone: str, locale: str) -> str:
    """'Москва (UTC+03:00)': a time zone as a person recognises it."""
    city = get_timezone_location(zone, locale=locale, return_city=True)
    offset = datetime.now(ZoneInfo(zone)).strftime("%z")
    return f"{city} (UTC{offset[:3]}:{offset[3:]})"


def format_left(left: timedelta, locale: str) -> str:
    """'2 часа', '3 мүнөт': a time left, in words, rounded to its largest unit."""
    return format_timedelta(left, locale=locale, threshold=1.5)


def format_number(value: float, locale: str) -> str:
    """'2,5' (ru) / '100 000': decimals and groups as the locale writes them."""
    return format_decimal(value, locale=locale)


def format_share(value: float, locale: str) -> str:
    """'85 %' (ru) / '85%' (ky)."""
    return format_percent(value, locale=locale)
