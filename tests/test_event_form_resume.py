"""Organizers half-way through the event form go on after the upgrade that put the form on
the wizard engine (handlers/wizard.py): a conversation saved by the previous version (the
form's own handlers in handlers/organizer/event_form.py at main), whose state is
`EventForm:filling` and whose data is `{"step": ..., "answers": {...}, "event_id": ...}`,
finishes through the bot and the event row holds its answers."""

from sqlalchemy import select

from bot.services import events
from db.models import Event, utcnow
from tests.db_fixtures import session_on
from tests.e2e import inline_labels, person, texts
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import ADMIN_ID, RunningBot
from tests.people import Participant, add_participants
from tests.test_proposal_resume import saved_by_the_previous_version

TITLE = "Особый статус Баткенской области"


async def event_titled(database_url: str, title: str) -> Event:
    async with session_on(database_url) as session:
        return (await session.scalars(select(Event).where(Event.title_ru == title))).one()


async def test_an_event_half_filled_by_the_previous_version_is_finished_and_edited(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url, Participant(ADMIN_ID, "ru", "bishkek", full_name="Асан Усонов")
    )
    year = utcnow().year + 1
    # The kind chosen and the Kyrgyz title skipped; the Russian title not yet given.
    await saved_by_the_previous_version(
        running_bot,
        ADMIN_ID,
        "EventForm:filling",
        {"step": "title_ru", "answers": {"kind": "forum", "title_ky": None}, "event_id": None},
    )
    organizer = person(telegram, ADMIN_ID, "ru", "Асан")
    # The Skip button the previous version showed under its question: no title at all is
    # refused, and the Russian title asked again.
    reply = await organizer.press_data("evform:skip:")
    assert "Укажите название хотя бы на одном языке." in texts(reply)
    assert "Название на русском" in texts(reply) and inline_labels(reply[-1]) == ["Пропустить"]
    await organizer.send(TITLE)
    await organizer.press("Пропустить")
    assert "Когда оно начинается?" in texts(await organizer.press("Пропустить"))
    assert "Напишите дату" in texts(await organizer.send("не дата"))
    await organizer.send(f"08.07.{year} 10:00")
    await organizer.send(f"08.07.{year} 13:00")
    assert "Пожалуйста, выберите кнопками выше." in texts(await organizer.send("онлайн"))
    await organizer.press("Онлайн-формат")
    # An online event is not asked its venue.
    await organizer.send("https://meet.example.org/batken")
    await organizer.press("Баткенская область")
    reply = await organizer.press("Готово")
    assert texts(reply) == "Выберите хотя бы одну тему."
    await organizer.press("Миграция и соотечественники")
    await organizer.press("Готово")
    await organizer.press("Пропустить")
    reply = await organizer.press("Пропустить")
    assert f"Название на русском: {TITLE}" in texts(reply)
    reply = await organizer.press("Опубликовать")
    assert "Опубликовано." in texts(reply)
    event = await event_titled(database_url, TITLE)
    assert (event.kind_code, event.title_ky, event.format, event.venue) == (
        "forum",
        None,
        "online",
        None,
    )
    assert (event.online_url, event.region_code, event.capacity) == (
        "https://meet.example.org/batken",
        "batken",
        None,
    )
    assert event.starts_at.hour == 4  # 10:00 in Bishkek

    # The previous version, editing that event, had asked its capacity again.
    async with session_on(database_url) as session:
        answers = events.answers_of(await events.draft_of(session, event))
    await saved_by_the_previous_version(
        running_bot,
        ADMIN_ID,
        "EventForm:filling",
        {"step": "capacity", "answers": answers, "event_id": event.id},
    )
    reply = await organizer.send("40")
    assert "Количество мест: 40" in texts(reply)
    await organizer.press("Опубликовать")
    assert (await event_titled(database_url, TITLE)).capacity == 40
