"""Events end to end, over HTTP against the fake Bot API server, in Kyrgyz and Russian: an
organizer creates and publishes an event; participants open it by deep link, from the list
and from the menu, register, fill it, join the waiting list, cancel and get promoted; the
organizer checks codes at the door, reads the figures, exports Excel and CSV, and cancels the
event (every registrant told through the outbox); reminders are queued once across a restart,
and "I can't come" frees the seat for the waiting list."""

import csv
import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from bot.notices import render
from bot.scheduler import sweep_event_reminders
from bot.services import events
from db.models import Event, OutboxMessage, Registration, User, utcnow
from tests.e2e import inline_labels, person, texts
from tests.harness import ADMIN_ID, RunningBot

PARTICIPANTS = {
    # telegram id: (language, name, gender, category, region, country)
    2001: ("ky", "Айгүл Ташиева", "female", "civil-society", "batken", None),
    2002: ("ru", "Ольга Петрова", "female", "expert", "abroad", "RU"),
    2003: ("ky", "Бакыт Осмонов", "male", "media", "batken", None),
}


async def seed_people(bot: RunningBot) -> dict[int, User]:
    """Registered participants (the registration journey has its own tests) and the admin."""
    assert bot.app is not None
    people = {}
    async with bot.app.session_factory() as session:
        for telegram_id, (language, name, gender, category, region, country) in {
            **PARTICIPANTS,
            ADMIN_ID: ("ru", "Асан Усонов", "male", "state-body", "bishkek", None),
        }.items():
            user = User(
                telegram_id=telegram_id,
                language=language,
                consent="given",
                consent_at=utcnow(),
                full_name=name,
                gender=gender,
                category_code=category,
                region_code=region,
                country_code=country,
                registered_at=utcnow(),
            )
            session.add(user)
            people[telegram_id] = user
        await session.commit()
    return people


async def outbox(bot: RunningBot, template: str) -> list[OutboxMessage]:
    assert bot.app is not None
    async with bot.app.session_factory() as session:
        query = select(OutboxMessage).where(OutboxMessage.template == template)
        return list(await session.scalars(query.order_by(OutboxMessage.id)))


def rendered(bot: RunningBot, message: OutboxMessage, locale: str) -> str:
    with bot.i18n.context(), bot.i18n.use_locale(locale):
        return render(message.template, message.params, locale).text


def button_labels(messages: list) -> list[str]:  # type: ignore[type-arg]
    return [label for message in messages for label in inline_labels(message)]


async def test_organizer_publishes_participants_register_wait_and_get_promoted(
    running_bot: RunningBot, telegram
) -> None:
    people = await seed_people(running_bot)
    organizer = person(telegram, ADMIN_ID, "ru", "Асан")
    aigul = person(telegram, 2001, "ky", "Айгүл")
    olga = person(telegram, 2002, "ru", "Ольга")
    bakyt = person(telegram, 2003, "ky", "Бакыт")
    stranger = person(telegram, 2009, "ru", "Гость")

    # Only organizers may organize.
    assert texts(await aigul.send("/organize")) == "Бул буйрук уюштуруучулар үчүн гана."

    # The organizer creates the event step by step, with bad dates on the way.
    year = utcnow().year + 1
    await organizer.send("/organize")
    await organizer.press("➕ Новое мероприятие")
    await organizer.press("Открытая диалоговая площадка")
    await organizer.send("Баткен облусунун өзгөчө статусу")
    await organizer.send("Особый статус Баткенской области")
    await organizer.press("Пропустить")
    reply = await organizer.send("Миграция & <границы>: открытый разговор")
    assert "Когда оно начинается?" in texts(reply)
    reply = await organizer.send(f"31.02.{year} 10:00")
    assert texts(reply) == f"Такой даты или времени нет: 31.02.{year} 10:00. Проверьте, пожалуйста."
    reply = await organizer.send("08.07.2021 10:00")
    assert texts(reply) == "Начало должно быть в будущем."
    assert "Напишите дату" in texts(await organizer.send("завтра в десять"))
    await organizer.send(f"08.07.{year} 10:00")
    assert (
        texts(await organizer.send(f"08.07.{year} 09:00")) == "Окончание должно быть позже начала."
    )
    reply = await organizer.send(f"08.07.{year} 13:00")
    assert button_labels(reply) == ["Очно", "Онлайн-формат", "Смешанный (очно и онлайн)"]
    await organizer.press("Очно")
    await organizer.send("Баткен шаары, «Айгүл-Тоо» мейманканасынын конференц-залы")
    await organizer.press("Баткенская область")
    await organizer.press("Миграция и соотечественники")
    await organizer.press("Приграничные территории и безопасность")
    await organizer.press("Готово")
    reply = await organizer.send("2")
    reply = await organizer.press("Пропустить")
    preview = texts(reply)
    assert "Описание на русском: Миграция & <границы>: открытый разговор" in preview
    assert "Темы: Миграция и соотечественники, Приграничные территории и безопасность" in preview
    assert f"8 июля {year}\u202fг., 10:00 – 13:00" in preview
    reply = await organizer.press("Опубликовать")
    assert "Опубликовано. Теперь участники видят" in texts(reply)
    assert "Осталось 2 места" in texts(reply)

    assert running_bot.app is not None
    async with running_bot.app.session_factory() as session:
        event = await session.scalar(select(Event))
        assert event is not None and event.status == "published" and event.capacity == 2
        assert event.starts_at.hour == 4  # 10:00 in Bishkek is 04:00 UTC
        event_id = event.id

    reply = await organizer.press("Ссылка и QR-код")
    link = f"https://t.me/kenesh_test_bot?start=ev_{event_id}"
    assert reply[-1].caption is not None and link in reply[-1].caption
    assert reply[-1].photo is not None and reply[-1].photo.startswith(b"\x89PNG")

    # Someone who never pressed /start reads the card by the link, and is sent to /start.
    reply = await stranger.send(f"/start ev_{event_id}")
    assert "Особый статус Баткенской области" in texts(reply)
    assert "сначала отправьте /start" in texts(reply)
    reply = await stranger.press("Зарегистрироваться")
    assert "сначала зарегистрируйтесь как участник: отправьте /start" in texts(reply)

    # Aigul by the deep link, in Kyrgyz: a seat, a calendar file, a code with its QR image.
    reply = await aigul.send(f"/start ev_{event_id}")
    assert "Баткен облусунун өзгөчө статусу\nАчык маектешүү аянтчасы" in texts(reply)
    assert f"8-июль, {year}-жыл, 10:00 – 13:00" in texts(reply)
    assert "2 орун калды" in texts(reply)
    reply = await aigul.press("Катталуу")
    assert "✅ Сиз Баткен облусунун өзгөчө статусу иш-чарасына катталдыңыз." in texts(reply)
    assert "«Айгүл-Тоо»" in texts(reply)
    calendar_file = next(m.document for m in reply if m.document)
    assert calendar_file[0] == f"event-{event_id}.ics"
    assert (
        b"TZID=Asia/Bishkek:" in calendar_file[1]
        and f"{year}0708T100000".encode() in (calendar_file[1])
    )
    assert any(m.photo for m in reply)

    # Olga from the list, in Russian: the last seat.
    reply = await olga.send("/events")
    assert "Ближайшие мероприятия (страница 1 из 1)" in texts(reply)
    await olga.press("08.07 Особый статус Баткенской области")
    reply = await olga.press("Зарегистрироваться")
    assert "✅ Вы зарегистрированы на Особый статус Баткенской области" in texts(reply)

    # Bakyt from the menu, in Kyrgyz: the event is full, he waits.
    reply = await bakyt.send("🗓 Иш-чаралар")
    await bakyt.press("08.07 Баткен облусунун өзгөчө статусу")
    reply = await bakyt.press("Катталуу")
    assert "Орундар толду. Сиз күтүү тизмесиндесиз, кезегиңиз: 1." in texts(reply)
    reply = await bakyt.send("/myevents")
    assert "(күтүү тизмеси, кезек: 1)" in texts(reply)

    # Aigul cancels; Bakyt gets her seat and is told through the outbox.
    await aigul.send(f"/start ev_{event_id}")
    reply = await aigul.press("Каттоомду жокко чыгаруу")
    assert "Каттооңуз жокко чыгарылды." in texts(reply)
    promoted = await outbox(running_bot, "event_promoted")
    assert [row.user_id for row in promoted] == [people[2003].id]
    told = rendered(running_bot, promoted[0], "ky")
    assert "Орун бошоду" in told and f"8-июль, {year}-жыл, 10:00" in told and "Айгүл-Тоо" in told
    reply = await bakyt.send("/myevents")
    assert "(катталгансыз, код " in texts(reply)

    # At the door: the organizer checks Olga's code; a wrong code is refused.
    async with running_bot.app.session_factory() as session:
        olga_registration = await events.registration_of(session, event_id, people[2002].id)
        assert olga_registration is not None
        olga_code = olga_registration.code
        assert await events.event_registrant_ids(session, event_id) == sorted(
            [people[2002].id, people[2003].id]
        )
    reply = await organizer.send("/checkin")
    assert "Пришлите код" in texts(reply)
    assert "Регистрации с таким кодом нет." in texts(await organizer.send("XXXXXX"))
    reply = await organizer.send(olga_code.lower())
    assert "✅ Ольга Петрова: добро пожаловать на «Особый статус Баткенской области»." in texts(
        reply
    )

    # The figures and the exports.
    await organizer.send("/organize")
    await organizer.press("📋 Мероприятия")
    await organizer.press(f"✅ 08.07.{year} Особый статус Баткенской области")
    reply = await organizer.press("Список участников")
    figures = texts(reply)
    assert "Зарегистрировано: 2, пришли: 1, в листе ожидания: 0" in figures
    assert "Женщин: 1, мужчин: 1, не указано: 0" in figures
    assert "• Эксперт: 1" in figures and "• СМИ, журналист, блогер: 1" in figures
    assert "Страны проживающих за рубежом:\n  • Россия: 1" in figures

    reply = await organizer.press("Файл Excel")
    name, data = next(m.document for m in reply if m.document)
    assert name.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Список участников"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Код регистрации", "ФИО", "Пол")
    assert sorted(row[1] for row in rows[1:]) == ["Бакыт Осмонов", "Ольга Петрова"]
    totals = dict(workbook["Показатели"].iter_rows(values_only=True))
    assert (totals["Зарегистрированы"], totals["Пришли"], totals["Женщины"]) == (2, 1, 1)

    reply = await organizer.press("Файл CSV")
    name, data = next(m.document for m in reply if m.document)
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(table) == 3 and {row[0] for row in table[1:]} >= {olga_code}

    # The organizer cancels the event: both registrants are told in their language.
    await organizer.press("Отменить мероприятие")
    reply = await organizer.press("Да, отменить мероприятие")
    assert "Мероприятие отменено. Сообщение получат зарегистрированные: 2." in texts(reply)
    cancelled = await outbox(running_bot, "event_cancelled")
    assert sorted(row.user_id for row in cancelled) == sorted([people[2002].id, people[2003].id])
    assert "❌ Мероприятие <b>Особый статус Баткенской области</b> отменено" in rendered(
        running_bot, cancelled[0], "ru"
    )
    reply = await aigul.send(f"/start ev_{event_id}")
    assert "❌ Бул иш-чара жокко чыгарылган." in texts(reply)
    assert "Катталуу" not in button_labels(reply)


async def test_reminders_once_across_a_restart_and_cant_come_frees_the_seat(
    running_bot: RunningBot, telegram
) -> None:
    people = await seed_people(running_bot)
    assert running_bot.app is not None
    starts = (utcnow() + timedelta(hours=30)).replace(second=0, microsecond=0)
    async with running_bot.app.session_factory() as session:
        organizer = await session.scalar(select(User).where(User.telegram_id == ADMIN_ID))
        assert organizer is not None
        event = await events.save_event(
            session,
            events.EventDraft(
                kind_code="dialogue",
                title_ky="Тигүү тармагындагы инновациялар",
                title_ru="Инновации в швейной отрасли",
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                format="online",
                online_url="https://meet.example.kg/sewing",
                region_code="bishkek",
                topic_codes=["industry", "innovation"],
                capacity=1,
            ),
            author=organizer,
            publish=True,
            tz=running_bot.settings.tz,
        )
        await session.commit()
        event_id = event.id
    aigul = person(telegram, 2001, "ky", "Айгүл")
    olga = person(telegram, 2002, "ru", "Ольга")
    await aigul.send(f"/start ev_{event_id}")
    await aigul.press("Катталуу")
    await olga.send(f"/start ev_{event_id}")
    reply = await olga.press("Зарегистрироваться")
    assert "Вы в листе ожидания под номером 1" in texts(reply)

    day_before = starts - timedelta(hours=23)
    assert await sweep_event_reminders(running_bot.app, now=day_before) == 1
    await running_bot.restart()
    assert running_bot.app is not None
    assert await sweep_event_reminders(running_bot.app, now=day_before + timedelta(minutes=1)) == 0
    reminders = await outbox(running_bot, "event_reminder")
    assert [(row.user_id, row.params["which"]) for row in reminders] == [(people[2001].id, "24h")]
    text = rendered(running_bot, reminders[0], "ky")
    assert "Эскертүү: <b>Тигүү тармагындагы инновациялар</b>" in text
    assert "https://meet.example.kg/sewing" in text and "Келесизби?" in text

    # "I can't come" on the reminder: the seat goes to Olga at once, and she is told.
    with running_bot.i18n.context(), running_bot.i18n.use_locale("ky"):
        notice = render("event_reminder", reminders[0].params, "ky")
    cant_come = notice.buttons[0][1]
    assert cant_come.text == "Келе албайм" and cant_come.callback_data is not None
    reply = await aigul.press_data(cant_come.callback_data)
    assert "Каттооңуз жокко чыгарылды." in texts(reply)
    promoted = await outbox(running_bot, "event_promoted")
    assert [row.user_id for row in promoted] == [people[2002].id]
    assert "https://meet.example.kg/sewing" in rendered(running_bot, promoted[0], "ru")
    async with running_bot.app.session_factory() as session:
        statuses = dict(
            (await session.execute(select(Registration.user_id, Registration.status))).all()
        )
    assert statuses == {people[2001].id: "cancelled", people[2002].id: "registered"}

    # Olga registered late: she gets the one-hour reminder only, once.
    hour_before = starts - timedelta(minutes=50)
    assert await sweep_event_reminders(running_bot.app, now=hour_before) == 1
    assert await sweep_event_reminders(running_bot.app, now=hour_before) == 0
    assert await sweep_event_reminders(running_bot.app, now=starts + timedelta(minutes=1)) == 0
    reminders = await outbox(running_bot, "event_reminder")
    assert [(row.user_id, row.params["which"]) for row in reminders][1:] == [
        (people[2002].id, "1h")
    ]
    assert "начнётся через час" in rendered(running_bot, reminders[1], "ru")


# Seed 003 lists who took part (state bodies, small public councils, civil society,
# international organisations and projects, public council members, journalists and bloggers,
# migration experts) and the totals: 50 people, 22 women and 28 men. The split by type is not
# in the document; this one adds up to its totals.
BATKEN_TYPES = {
    "state-body": 10,
    "public-council": 9,
    "civil-society": 11,
    "international": 6,
    "media": 8,
    "expert": 6,
}


async def test_batken_open_dialogue_platform_replayed(running_bot: RunningBot, telegram) -> None:
    """Fifty people register by the poster's link (half in Kyrgyz, half in Russian), 45 are
    checked in at the door, and the organizer reads the figures the seed reports."""
    await seed_people(running_bot)
    assert running_bot.app is not None
    tz = running_bot.settings.tz
    genders = ["female"] * 22 + ["male"] * 28
    categories = [code for code, count in BATKEN_TYPES.items() for _ in range(count)]
    async with running_bot.app.session_factory() as session:
        admin = await session.scalar(select(User).where(User.telegram_id == ADMIN_ID))
        assert admin is not None
        starts = (utcnow() + timedelta(days=10)).replace(minute=0, second=0, microsecond=0)
        event = await events.save_event(
            session,
            events.EventDraft(
                kind_code="open-platform",
                title_ky="«Баткен облусунун өзгөчө статусу» ачык маектешүү аянтчасы",
                title_ru="Открытая диалоговая площадка «Особый статус Баткенской области»",
                starts_at=starts,
                ends_at=starts + timedelta(hours=4),
                format="in_person",
                venue="Баткен шаары, «Айгүл-Тоо» мейманканасынын конференц-залы",
                region_code="batken",
                topic_codes=["border", "migration", "business"],
                capacity=60,
            ),
            author=admin,
            publish=True,
            tz=tz,
        )
        for index in range(50):
            session.add(
                User(
                    telegram_id=3000 + index,
                    language="ky" if index % 2 else "ru",
                    consent="given",
                    full_name=f"Катышуучу {index + 1}",
                    gender=genders[index],
                    category_code=categories[index],
                    region_code="batken",
                    registered_at=utcnow(),
                )
            )
        await session.commit()
        event_id = event.id

    for index in range(50):
        language = "ky" if index % 2 else "ru"
        someone = person(telegram, 3000 + index, language, f"P{index}")
        await someone.send(f"/start ev_{event_id}")
        await someone.press("Катталуу" if language == "ky" else "Зарегистрироваться")

    async with running_bot.app.session_factory() as session:
        codes = [item.registration.code for item in await events.registrants(session, event_id)]
    organizer = person(telegram, ADMIN_ID, "ru", "Асан")
    await organizer.send("/checkin")
    for code in codes[:45]:
        await organizer.send(code)

    await organizer.send("/organize")
    await organizer.press("📋 Мероприятия")
    day = f"{starts.astimezone(tz):%d.%m.%Y}"
    title = "Открытая диалоговая площадка «Особый статус Баткенской области»"
    await organizer.press(f"✅ {day} {title}"[:60])  # long titles are cut in buttons
    reply = await organizer.press("Список участников")
    figures = texts(reply)
    assert "Зарегистрировано: 50, пришли: 45, в листе ожидания: 0" in figures
    assert "Женщин: 22, мужчин: 28, не указано: 0" in figures
    for line in (
        "• Гражданское общество, НКО: 11",
        "• Государственный орган: 10",
        "• Общественный совет: 9",
        "• СМИ, журналист, блогер: 8",
        "• Международная организация или проект: 6",
        "• Эксперт: 6",
        "По регионам:\n  • Баткенская область: 50",
    ):
        assert line in figures
    reply = await organizer.press("Файл Excel")
    _name, data = next(m.document for m in reply if m.document)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook["Список участников"].max_row == 51
    totals = dict(workbook["Показатели"].iter_rows(values_only=True))
    assert (totals["Зарегистрированы"], totals["Пришли"]) == (50, 45)
    assert (totals["Женщины"], totals["Мужчины"]) == (22, 28)


async def test_organizer_edits_the_start_and_registrants_are_told(
    running_bot: RunningBot, telegram
) -> None:
    people = await seed_people(running_bot)
    assert running_bot.app is not None
    tz = running_bot.settings.tz
    starts = (utcnow() + timedelta(days=5)).replace(minute=0, second=0, microsecond=0)
    async with running_bot.app.session_factory() as session:
        admin = await session.scalar(select(User).where(User.telegram_id == ADMIN_ID))
        assert admin is not None
        event = await events.save_event(
            session,
            events.EventDraft(
                kind_code="roundtable",
                title_ky="Тегерек стол",
                title_ru=None,
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                format="in_person",
                venue="Ош шаары",
                region_code="osh",
                topic_codes=["migration"],
            ),
            author=admin,
            publish=False,
            tz=tz,
        )
        await session.commit()
        event_id = event.id
    olga = person(telegram, 2002, "ru", "Ольга")
    # A draft is not public.
    assert texts(await olga.send(f"/start ev_{event_id}")) == (
        "Это мероприятие недоступно. Открытые сейчас мероприятия — в /events."
    )

    organizer = person(telegram, ADMIN_ID, "ru", "Асан")
    await organizer.send("/organize")
    await organizer.press("📋 Мероприятия")
    await organizer.press(f"📝 {starts.astimezone(tz):%d.%m.%Y} Тегерек стол")
    reply = await organizer.press("Опубликовать")
    assert "Опубликовано. Теперь участники видят" in texts(reply)

    # Only the Kyrgyz title exists: Russian readers see it rather than nothing.
    await olga.send(f"/start ev_{event_id}")
    await olga.press("Зарегистрироваться")

    await organizer.press("Изменить")
    await organizer.press("Начало")
    later = starts + timedelta(days=1)
    reply = await organizer.send(f"{later.astimezone(tz):%d.%m.%Y %H:%M}")
    assert "Предпросмотр" in texts(reply)
    # The end is now before the start: saving is refused with the reason.
    reply = await organizer.press("Опубликовать")
    assert "Окончание должно быть позже начала." in texts(reply)
    await organizer.press("Окончание")
    await organizer.send(f"{(later + timedelta(hours=2)).astimezone(tz):%d.%m.%Y %H:%M}")
    reply = await organizer.press("Опубликовать")
    assert "Опубликовано" in texts(reply)

    changed = await outbox(running_bot, "event_changed")
    assert [row.user_id for row in changed] == [people[2002].id]
    text = rendered(running_bot, changed[0], "ru")
    assert "Изменились время или место мероприятия <b>Тегерек стол</b>" in text
    assert f"{later.astimezone(tz):%H:%M}" in text and "Ош шаары" in text
