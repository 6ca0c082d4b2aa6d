"""Compatriots abroad see event times in Bishkek time and in their own: the zone of their
country of residence, or the one they choose in /profile. The event card, the registration
and the reminder say both; the calendar file carries the zone; people at home see one time."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.scheduler import sweep_event_reminders
from bot.services import events
from db.models import User, utcnow
from tests.e2e import person, texts
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import ADMIN_ID, RunningBot
from tests.people import Participant, add_participants
from tests.test_events_e2e import outbox, rendered

NURLAN, AIGUL = 2801, 2802
BISHKEK, MOSCOW, SEOUL = ZoneInfo("Asia/Bishkek"), ZoneInfo("Europe/Moscow"), ZoneInfo("Asia/Seoul")


async def test_a_compatriot_sees_both_times_in_the_card_and_the_reminder(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Организатор"),
        Participant(NURLAN, "ru", "abroad", "diaspora", "Нурлан Абдыкалыков", country_code="RU"),
        Participant(AIGUL, "ky", "batken", full_name="Айгүл Ташиева"),
    )
    assert running_bot.app is not None
    starts = (utcnow() + timedelta(hours=30)).replace(minute=0, second=0, microsecond=0)
    async with running_bot.app.session_factory() as session:
        organizer = await session.scalar(select(User).where(User.telegram_id == ADMIN_ID))
        assert organizer is not None
        event = await events.save_event(
            session,
            events.EventDraft(
                kind_code="forum",
                title_ky="Мекендештер форуму",
                title_ru="Форум соотечественников",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                format="online",
                online_url="https://meet.example.kg/forum",
                region_code="abroad",
                topic_codes=["migration"],
            ),
            author=organizer,
            publish=True,
            tz=running_bot.settings.tz,
        )
        await session.commit()
        event_id = event.id
    in_bishkek = starts.astimezone(BISHKEK).strftime("%H:%M")
    in_moscow = starts.astimezone(MOSCOW).strftime("%H:%M")
    assert in_bishkek != in_moscow

    nurlan = person(telegram, NURLAN, "ru", "Нурлан")
    card = texts(await nurlan.send(f"/start ev_{event_id}"))
    assert f", {in_bishkek} – " in card and "(время Бишкека)" in card
    assert "🕓 Ваше время (Москва): " in card and f", {in_moscow} – " in card

    # At home, one time and no "your time" line.
    aigul = person(telegram, AIGUL, "ky", "Айгүл")
    card = texts(await aigul.send(f"/start ev_{event_id}"))
    assert f", {in_bishkek} – " in card and "🕓" not in card and "Бишкек убактысы" not in card

    registered = await nurlan.press("Зарегистрироваться")
    assert "🕓 Ваше время (Москва): " in texts(registered)
    calendar = next(m for m in registered if m.document is not None)
    assert calendar.document is not None
    ics = calendar.document[1].decode()
    assert "BEGIN:VTIMEZONE" in ics and "TZID=Asia/Bishkek" in ics

    # He chooses his own zone in /profile: Seoul from now on.
    await nurlan.send("/profile")
    await nurlan.press("🕓 Часовой пояс")
    await nurlan.press("Сеул (UTC+09:00)")
    card = texts(await nurlan.send(f"/start ev_{event_id}"))
    in_seoul = starts.astimezone(SEOUL).strftime("%H:%M")
    assert "🕓 Ваше время (Сеул): " in card and f", {in_seoul} – " in card

    # The reminder a day before says both times and the weekday.
    day_before = starts - timedelta(hours=23)
    assert await sweep_event_reminders(running_bot.app, now=day_before) == 1
    reminder = rendered(running_bot, (await outbox(running_bot, "event_reminder"))[0], "ru")
    weekday = {0: "понедельник", 1: "вторник", 2: "среда", 3: "четверг", 4: "пятница",
               5: "суббота", 6: "воскресенье"}  # fmt: skip
    assert f"{weekday[starts.astimezone(BISHKEK).weekday()]}, " in reminder
    assert f", {in_bishkek} – " in reminder and "(время Бишкека)" in reminder
    assert f"🕓 Ваше время (Сеул): {weekday[starts.astimezone(SEOUL).weekday()]}, " in reminder
    assert f", {in_seoul} – " in reminder
