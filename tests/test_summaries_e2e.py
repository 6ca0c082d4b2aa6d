"""Summaries end to end, in Kyrgyz and Russian, against the fake Bot API server: an organizer
writes a long Kyrgyz summary in two messages and a short Russian one and publishes it; the
registrants and the author of a proposal to the event are told through the outbox in their
language, a stranger is not; a Kyrgyz reader pages through it and sees what became of the
proposals and her own; the organizer downloads the outcome document."""

import io
from datetime import timedelta
from zoneinfo import ZoneInfo

from docx import Document
from openpyxl import load_workbook

from bot.services import events
from db.models import Proposal, utcnow
from tests.e2e import inline_labels, person, texts
from tests.harness import ADMIN_ID, RunningBot
from tests.test_events_e2e import outbox, rendered, seed_people

TZ = ZoneInfo("Asia/Bishkek")
SENTENCE = "Баткен облусунун өнүгүүсү, эмгек миграциясы жана чек ара аймактары талкууланды."


async def test_publish_notify_and_page_a_long_kyrgyz_summary(
    running_bot: RunningBot, telegram
) -> None:
    assert running_bot.app is not None
    people = await seed_people(running_bot)  # 2001 ky, 2002 ru, 2003 ky, and the admin
    async with running_bot.app.session_factory() as session:
        starts = utcnow() + timedelta(days=3)
        draft = events.EventDraft(
            kind_code="open-platform",
            title_ky="Баткен облусунун өзгөчө статусу",
            title_ru="Особый статус Баткенской области",
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            format="in_person",
            venue="Баткен шаары, «Айгүл-Тоо» мейманканасы",
            region_code="batken",
            topic_codes=["migration"],
        )
        event = await events.save_event(
            session, draft, author=people[ADMIN_ID], publish=True, tz=TZ
        )
        for telegram_id in (2001, 2002):
            await events.register(session, people[telegram_id], event.id, utcnow())
        for author, status, text in (
            (2001, "forwarded", "Кадр маселесин көтөрүү"),
            (2003, "published", "Баткенге жөлөкпулдарды жогорулатуу"),
        ):
            session.add(
                Proposal(
                    author_id=people[author].id,
                    event_id=event.id,
                    topic_code="social",
                    region_code="batken",
                    text=text,
                    status=status,
                )
            )
        await session.commit()
        event_id = event.id

    telegram.add_users([2001, 2002, 2003, 2009])  # they have all opened the bot before
    organizer = person(telegram, ADMIN_ID, "ru", "Асан")
    aigul = person(telegram, 2001, "ky", "Айгүл")
    olga = person(telegram, 2002, "ru", "Ольга")
    bakyt = person(telegram, 2003, "ky", "Бакыт")
    stranger = person(telegram, 2009, "ky", "Мейман")

    assert texts(await aigul.send("/summaries")) == "Азырынча бир да жыйынтык жарыялана элек."

    # The organizer writes the summary: two long Kyrgyz messages, one Russian, no file.
    await organizer.send("/organize")
    await organizer.press("📋 Мероприятия")
    card = await organizer.press(
        f"✅ {starts.astimezone(TZ):%d.%m.%Y} Особый статус Баткенской области"
    )
    assert "📄 Итоговый документ" in inline_labels(card[-1])
    await organizer.press("📄 Опубликовать итоги")
    assert (
        texts(await organizer.send("/cancel"))
        == "Остановлено. Ничего не сохранено и не отправлено."
    )
    assert "/cancel" not in texts(await organizer.send("/cancel"))  # nothing left to cancel
    await organizer.send("/organize")
    await organizer.press("📋 Мероприятия")
    await organizer.press(f"✅ {starts.astimezone(TZ):%d.%m.%Y} Особый статус Баткенской области")
    reply = await organizer.press("📄 Опубликовать итоги")
    assert "Пришлите итоги на кыргызском" in texts(reply)
    first = "1. " + " ".join([SENTENCE] * 30)
    second = "2. " + " ".join([SENTENCE] * 30)
    assert "Добавлено." in texts(await organizer.send(first))
    await organizer.send(second)
    reply = await organizer.press("Далее ▶️")
    assert "Теперь итоги на русском" in texts(reply)
    await organizer.send("Обсудили развитие Баткенской области.")
    reply = await organizer.press("Далее ▶️")
    assert "Приложите файл PDF или DOCX" in texts(reply)
    reply = await organizer.send_document("photo.png", b"\x89PNG")
    assert texts(reply) == "Пришлите файл PDF или DOCX или нажмите «Опубликовать»."
    reply = await organizer.send_document("itogi.pdf")
    assert "Итоги опубликованы. Оповещено человек: 3." in texts(reply)

    told = await outbox(running_bot, "summary_published")
    assert sorted(row.user_id for row in told) == sorted(
        people[telegram_id].id for telegram_id in (2001, 2002, 2003)
    )
    assert "жыйынтыгы жарыяланды" in rendered(running_bot, told[0], "ky")
    await aigul.wait_for("«Баткен облусунун өзгөчө статусу» иш-чарасынын жыйынтыгы жарыяланды")
    await bakyt.wait_for("иш-чарасынын жыйынтыгы жарыяланды")
    await olga.wait_for("Опубликованы итоги «Особый статус Баткенской области»")
    assert stranger.inbox == []

    # Aigul reads it from the menu, page by page, with the proposals under it.
    reply = await aigul.send("📄 Жыйынтыктар")
    assert "Иш-чаралардын жыйынтыктары, эң жаңысы биринчи:" in texts(reply)
    reply = await aigul.press("Тема боюнча")
    assert inline_labels(reply[-1]) == ["Миграция жана мекендештер", "Баарын көрсөтүү"]
    await aigul.press("Миграция жана мекендештер")
    reply = await aigul.press("Аймак боюнча")
    assert inline_labels(reply[-1]) == ["Баткен облусу", "Баарын көрсөтүү"]
    reply = await aigul.press("Баткен облусу")
    assert "📄 Баткен облусунун өзгөчө статусу" in inline_labels(reply[-1])
    reply = await aigul.press("📄 Баткен облусунун өзгөчө статусу")
    page_one, outcome = reply[0], reply[-1]
    assert reply[1].document is not None  # the organizer's PDF
    assert page_one.text.startswith("📄 <b>Баткен облусунун өзгөчө статусу</b>\n\n1. ")
    assert "Бет: 1/2" in page_one.text and "2. " not in page_one.text
    assert len(page_one.text) <= 4096
    assert inline_labels(page_one) == ["Кийинки ▶"]
    assert "Түштү: 2" in outcome.text and "Мамлекеттик органдарга жөнөтүлдү: 1" in outcome.text
    assert "Кадр маселесин көтөрүү — Жооптуу органга жөнөтүлдү" in outcome.text
    assert "жөлөкпулдарды" not in outcome.text  # Bakyt's, not hers
    reply = await aigul.press("Кийинки ▶")
    assert reply[0].edited and "Бет: 2/2" in reply[0].text
    assert "\n\n2. " in reply[0].text and inline_labels(reply[0]) == ["◀ Мурунку"]
    reply = await aigul.press("◀ Мурунку")
    assert "Бет: 1/2" in reply[0].text

    # Olga reads the Russian text: one page, no buttons.
    await olga.send("/summaries")
    reply = await olga.press("📄 Особый статус Баткенской области")
    assert "Обсудили развитие Баткенской области." in reply[0].text
    assert inline_labels(reply[0]) == []

    # The organizer downloads the outcome document in Kyrgyz.
    await organizer.press("📄 Итоговый документ")
    reply = await organizer.press("Кыргызча")
    name, data = next(m.document for m in reply if m.document)
    assert name == f"event-{event_id}-outcome-ky.docx"
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "Катышуучулардын саны: 2, 2 аял жана 0 эркек." in text
    assert "Түшкөн сунуштар: 2" in text and "Кадр маселесин көтөрүү" in text

    # And the proposals sent to this event as Excel.
    reply = await organizer.press("Предложения: Excel")
    name, data = next(m.document for m in reply if m.document)
    assert name == f"event-{event_id}-proposals.xlsx"
    rows = list(load_workbook(io.BytesIO(data))["Предложения"].iter_rows(values_only=True))
    assert sorted(row[9] for row in rows[1:]) == [
        "Баткенге жөлөкпулдарды жогорулатуу",
        "Кадр маселесин көтөрүү",
    ]
