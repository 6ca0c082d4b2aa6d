"""The survey after an event, end to end in Kyrgyz and Russian: when the event ends, the people
checked in get a rating from 1 to 5 and one open question in their language (the registrants,
for an event where nobody was checked in); one answers, one skips, one says nothing and alone
gets the reminder a day later (once, however often the sweep runs); the figures appear in the
organizer's event report, in /stats and in the outcome document."""

import io
from datetime import timedelta

from docx import Document
from sqlalchemy import select

from bot.poll_sweeps import sweep_event_surveys
from bot.scheduler import SWEEPS
from bot.services import events
from db.models import OutboxMessage, Registration, User, utcnow
from tests.e2e import inline_labels, person, texts
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import ADMIN_ID, RunningBot
from tests.test_event_services import TZ

PEOPLE = {
    4001: ("ky", "Айгүл"),
    4002: ("ru", "Ольга"),
    4003: ("ru", "Сергей"),
    4004: ("ky", "Бакыт"),  # registered, not checked in
    4005: ("ky", "Нурлан"),  # at the other event, where nobody was checked in
    4006: ("ru", "Игорь"),  # likewise
}


async def seed(bot: RunningBot) -> dict[str, int]:
    assert bot.app is not None
    async with bot.app.session_factory() as session:
        people = {}
        for telegram_id, (language, name) in {**PEOPLE, ADMIN_ID: ("ru", "Асан")}.items():
            people[telegram_id] = User(
                telegram_id=telegram_id,
                language=language,
                consent="given",
                full_name=name,
                region_code="bishkek",
                category_code="citizen",
                registered_at=utcnow(),
            )
            session.add(people[telegram_id])
        await session.flush()
        ids = {}
        forum = ("forum", "Мекендештер форуму", "Форум соотечественников")
        table = ("table", "Суу боюнча тегерек үстөл", "Круглый стол по воде")
        for (key, title_ky, title_ru), registrants, in_hall in (
            (forum, [4001, 4002, 4003, 4004], [4001, 4002, 4003]),
            (table, [4005, 4006], []),
        ):
            starts = utcnow() - timedelta(hours=4)
            event = await events.save_event(
                session,
                events.EventDraft(
                    kind_code="forum",
                    title_ky=title_ky,
                    title_ru=title_ru,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=3),
                    format="in_person",
                    venue="Бишкек",
                    region_code="bishkek",
                    topic_codes=["migration"],
                ),
                author=people[ADMIN_ID],
                publish=True,
                tz=TZ,
                now=starts - timedelta(days=10),
            )
            ids[key] = event.id
            for telegram_id in registrants:
                session.add(
                    Registration(
                        event_id=event.id,
                        user_id=people[telegram_id].id,
                        status="registered",
                        code=f"S{telegram_id}",
                        attended_at=utcnow() if telegram_id in in_hall else None,
                    )
                )
        await session.commit()
        return ids


async def reminders(bot: RunningBot) -> list[int]:
    assert bot.app is not None
    async with bot.app.session_factory() as session:
        query = select(OutboxMessage.dedupe_key).where(
            OutboxMessage.dedupe_key.like("survey-reminder:%")
        )
        return sorted(int(key.rsplit(":", 1)[1]) for key in await session.scalars(query))


async def test_survey_after_an_event_with_its_reminder_and_report(
    running_bot: RunningBot, telegram: FakeTelegramServer
) -> None:
    assert any(sweep is sweep_event_surveys for sweep, _seconds in SWEEPS)
    assert running_bot.app is not None
    ids = await seed(running_bot)
    telegram.add_users(list(PEOPLE))
    everyone = {i: person(telegram, i, lang, name) for i, (lang, name) in PEOPLE.items()}

    await sweep_event_surveys(running_bot.app)
    await sweep_event_surveys(running_bot.app)  # twice: nothing twice
    aigul = await everyone[4001].wait_for("Катышканыңыз үчүн рахмат!")
    assert "Иш-чара: Мекендештер форуму" in aigul.visible
    assert inline_labels(aigul) == ["1", "2", "3", "4", "5", "Өткөрүп жиберүү"]
    olga = await everyone[4002].wait_for("Спасибо за участие!")
    assert "Мероприятие: Форум соотечественников" in olga.visible
    await everyone[4003].wait_for("Спасибо за участие!")
    # Nobody was checked in at the round table: its registrants are asked.
    await everyone[4005].wait_for("Суу боюнча тегерек үстөл")
    await everyone[4006].wait_for("Круглый стол по воде")
    assert everyone[4004].inbox == []  # registered, but not in the hall
    assert len([m for m in everyone[4001].inbox if "рахмат" in m.visible]) == 1

    # Aigul rates 4 and writes a few words; Olga skips; Sergei says nothing.
    reply = await everyone[4001].press("4")
    assert "Дагы бир суроо" in texts(reply)
    reply = await everyone[4001].send("Секциялар пайдалуу болду, бирок убакыт аз <болду> & кыска")
    assert texts(reply) == "Рахмат! Жообуңуз сакталды."
    await everyone[4002].press("Пропустить")
    await everyone[4005].press("2")
    reply = await everyone[4005].press("Өткөрүп жиберүү")
    assert reply[-1].visible == "Жоопторуңуз үчүн рахмат!"

    # A day later: the reminder to Sergei and Igor only, once however often the sweep runs.
    later = utcnow() + timedelta(hours=25)
    await sweep_event_surveys(running_bot.app, later)
    await sweep_event_surveys(running_bot.app, later + timedelta(minutes=1))
    sergei = everyone[4003]
    reminder = await sergei.wait_for("Напоминание: мероприятие")
    assert "Форум соотечественников" in reminder.visible
    await everyone[4006].wait_for("Напоминание: мероприятие")
    assert await reminders(running_bot) == sorted(
        [await _user_id(running_bot, 4003), await _user_id(running_bot, 4006)]
    )
    await sergei.press("5", message=_message(telegram, reminder))
    reply = await sergei.send("Больше времени на вопросы из зала.")
    assert texts(reply) == "Спасибо! Ваш ответ сохранён."

    # The organizer's report of the forum.
    organizer = person(telegram, ADMIN_ID, "ru", "Асан")
    await organizer.send("/organize")
    await organizer.press("📋 Мероприятия")
    starts = utcnow() - timedelta(hours=4)
    await organizer.press(f"✅ {starts.astimezone(TZ):%d.%m.%Y} Форум соотечественников")
    report = texts(await organizer.press("Список участников"))
    assert "Опрос после мероприятия" in report
    assert "Опрошено: 3, ответили: 2" in report
    assert "Средняя оценка: 4,5 из 5" in report
    assert "Оценки: 5 — 1; 4 — 1; 3 — 0; 2 — 0; 1 — 0" in report
    assert "Секциялар пайдалуу болду, бирок убакыт аз <болду> & кыска" in report
    assert "Больше времени на вопросы из зала." in report
    assert "Айгүл:" not in report and "Сергей:" not in report  # open answers without names

    # /stats lists the rated events.
    stats = texts(await organizer.send("/stats"))
    assert "Оценки мероприятий (опрос после мероприятия)" in stats
    assert "• Форум соотечественников: 4,5 из 5, оценок: 2" in stats
    assert "• Круглый стол по воде: 2,0 из 5, оценок: 1" in stats

    # And the outcome document, in Kyrgyz.
    await organizer.send("/organize")
    await organizer.press("📋 Мероприятия")
    await organizer.press(f"✅ {starts.astimezone(TZ):%d.%m.%Y} Форум соотечественников")
    await organizer.press("📄 Итоговый документ")
    reply = await organizer.press("Кыргызча")
    name, data = next(m.document for m in reply if m.document)
    assert name == f"event-{ids['forum']}-outcome-ky.docx"
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "Катышуучулардын баасы" in text
    assert "Орточо баа: 4,5 (5 баллдан)" in text
    assert "Баалар: 5 — 1; 4 — 1; 3 — 0; 2 — 0; 1 — 0" in text
    assert "Секциялар пайдалуу болду, бирок убакыт аз <болду> & кыска" in text
    assert "Больше времени на вопросы из зала." in text


async def _user_id(bot: RunningBot, telegram_id: int) -> int:
    assert bot.app is not None
    async with bot.app.session_factory() as session:
        found = await session.scalar(select(User.id).where(User.telegram_id == telegram_id))
        assert found is not None
        return found


def _message(telegram: FakeTelegramServer, sent) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return next(
        m for m in telegram.current_messages(sent.chat_id) if m["message_id"] == sent.message_id
    )
