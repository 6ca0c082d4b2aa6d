"""/stats end to end: charts are valid PNG images with the figures under them in the
organizer's language; the proposals export opens with openpyxl (and as CSV) and its rows
match the database; participants are refused."""

import csv
import io

from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from bot.services import proposals
from db.models import Proposal
from tests.e2e import person, texts
from tests.harness import ADMIN_ID, RunningBot
from tests.test_events_e2e import seed_people


async def test_stats_charts_and_proposals_export(running_bot: RunningBot, telegram) -> None:
    assert running_bot.app is not None
    people = await seed_people(running_bot)
    telegram.add_user(2001)  # Aigül's chat exists before her proposal's notice is sent
    async with running_bot.app.session_factory() as session:
        for author, topic, region, text in (
            (2001, "migration", "batken", "Миграцияны токтотуу"),
            (2003, "migration", "batken", "Кадр маселеси"),
            (2002, "border", "osh", "Граница"),
        ):
            session.add(
                Proposal(
                    author_id=people[author].id,
                    topic_code=topic,
                    region_code=region,
                    text=text,
                    status="published",
                )
            )
        session.add(
            Proposal(
                author_id=people[2001].id,
                topic_code="water",
                region_code="batken",
                text="Жокко чыгарылган",
                status="withdrawn",
            )
        )
        await session.commit()
        first = await session.scalar(select(Proposal).order_by(Proposal.id))
        assert first is not None
        await proposals.reject(session, first, people[ADMIN_ID], "Кайталанат")
        await session.commit()

    aigul = person(telegram, 2001, "ky", "Айгүл")
    await aigul.wait_for("сунушуңуздун абалы өзгөрдү", timeout=30)  # the rejection's notice
    assert texts(await aigul.send("/stats")) == "Бул буйрук уюштуруучулар үчүн гана."

    organizer = person(telegram, ADMIN_ID, "ru", "Асан")
    reply = await organizer.send("/stats")
    images = [m.photo for m in reply if m.photo]
    assert len(images) == 3
    for image in images:
        assert image.startswith(b"\x89PNG\r\n\x1a\n")
        assert Image.open(io.BytesIO(image)).size[0] > 600
    shown = texts(reply)
    assert "Предложения по регионам\n• Баткенская область: 1\n• город Ош: 1" in shown
    assert "Предложения по темам\n• Миграция и соотечественники: 1" in shown

    reply = await organizer.press("Предложения: Excel")
    name, data = next(m.document for m in reply if m.document)
    assert name == "proposals.xlsx"
    rows = list(load_workbook(io.BytesIO(data))["Предложения"].iter_rows(values_only=True))
    assert rows[0][:6] == ("Номер", "Отправлено", "Мероприятие", "Тема", "Регион", "Статус")
    async with running_bot.app.session_factory() as session:
        stored = list(await session.scalars(select(Proposal).order_by(Proposal.id)))
    assert [row[0] for row in rows[1:]] == [p.id for p in stored]
    assert [row[9] for row in rows[1:]] == [p.text for p in stored]
    assert rows[1][5] == "Отклонено" and "Отклонено: Кайталанат" in rows[1][10]

    reply = await organizer.press("Предложения: CSV")
    name, data = next(m.document for m in reply if m.document)
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert [int(row[0]) for row in table[1:]] == [p.id for p in stored]
