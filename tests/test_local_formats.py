"""Dates, times left, decimals, shares and large numbers as each language writes them."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.i18n import create_i18n, format_day, format_left, format_number, format_share, format_when
from bot.notices.announcements import render_progress
from bot.services.broadcasts import ProgressView
from db.models import utcnow

BISHKEK = ZoneInfo("Asia/Bishkek")
MOMENT = datetime(2026, 9, 21, 4, 0, tzinfo=UTC)  # 10:00 in Bishkek, a Monday


def test_kyrgyz_dates_read_like_the_seed_documents() -> None:
    assert format_day(MOMENT, "ky", BISHKEK) == "21-сентябрь, 2026-жыл"
    assert format_when(MOMENT, "ky", BISHKEK) == "21-сентябрь, 2026-жыл, 10:00"
    assert format_when(MOMENT, "ky", BISHKEK, weekday=True).startswith("дүйшөмбү, 21-сентябрь")
    assert format_when(MOMENT, "ru", BISHKEK) == "21 сентября 2026\u202fг., 10:00"
    assert format_day(MOMENT, "ru", BISHKEK, weekday=True).startswith("понедельник, 21 сентября")


def test_times_left_and_numbers_in_each_language() -> None:
    assert format_left(timedelta(hours=2, minutes=3), "ru") == "2 часа"
    assert format_left(timedelta(minutes=3), "ky") == "3 мүнөт"
    assert "day" not in format_left(timedelta(days=1, hours=2), "ru")
    assert format_number(2.5, "ru") == "2,5" and format_number(2.5, "ky") == "2,5"
    assert format_number(100000, "ru") == "100\xa0000"
    assert format_share(0.85, "ru") == "85\xa0%" and format_share(0.85, "ky") == "85%"


def test_a_large_broadcast_reads_grouped_with_the_time_left_in_words() -> None:
    i18n = create_i18n(Path(__file__).resolve().parent.parent / "locales")
    view = ProgressView(
        broadcast_id=1,
        chat_id=1,
        message_id=1,
        locale="ru",
        status="sending",
        total=120000,
        sent=20000,
        blocked=0,
        failed=0,
        stopped=0,
        waiting=100000,
        started_at=utcnow() - timedelta(minutes=10),
        last_text=None,
        failure_reasons=[],
    )
    with i18n.context(), i18n.use_locale("ru"):
        text, _buttons = render_progress(view)
    assert "20\xa0000/120\xa0000" in text and "Доставлено: 20\xa0000" in text
    assert "Осталось примерно: 50 минут" in text
