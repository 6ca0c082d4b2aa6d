"""Summaries and the outcome document against the real database: who is told, what became of
the proposals, pages, and the DOCX of the Batken open dialogue platform replayed (seed 003:
50 participants, 22 women, 28 men, its five proposals), read back with python-docx."""

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import outcome_document
from bot.i18n import create_i18n
from bot.services import events, summaries
from bot.services.errors import InvalidInput
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade_to_head
from db.models import (
    Agency,
    AgencyAnswer,
    EventSummary,
    Forwarding,
    OutboxMessage,
    Proposal,
    User,
    utcnow,
)
from db.seed import seed_reference_data
from tests.test_event_services import NOW, TZ, make_event, person

# Seed 003's received proposals with the topic each is filed under.
BATKEN_PROPOSALS = [
    (
        "local-government",
        "Өлкөнүн эң алыскы регионун өнүктүрүү үчүн “Баткен периферия эмес, өлкөнүн борбору” "
        "принцибине ылайык концепциясын түзүү",
    ),
    ("migration", "Баткендеги ички жана тышкы миграциянын агымын тез арада токтотуу зарыл"),
    ("education", "Кадр маселесин көтөрүү"),
    (
        "social",
        "Баткен облусунун чек ара аймактарына жөлөкпулдарды жана пенсияларды жогорулатуу "
        "маселесин кароо зарыл",
    ),
    (
        "border",
        "Кыргыз Республикасынын Коргоо министрлигинин бөлүктөрүнүн бир бөлүгүн Баткенге которуу "
        "зарыл, туруктуулукту токтотуу жана кепилдөө үчүн региондогу аскердик өкүлчүлүктү "
        "күчөтүү зарыл",
    ),
]
STATUSES = ["published", "forwarded", "answered", "accepted", "implemented"]


@pytest.fixture
async def session(database_url: str) -> AsyncIterator[AsyncSession]:
    engine = create_engine(database_url)
    await upgrade_to_head(engine)
    async with create_session_factory(engine)() as session:
        await seed_reference_data(session)
        await session.commit()
        yield session
    await engine.dispose()


async def batken_replay(session: AsyncSession) -> tuple[events.Event, list[User]]:
    event = await make_event(session, capacity=60)
    categories = {
        "state-body": 10,
        "public-council": 9,
        "civil-society": 11,
        "international": 6,
        "media": 8,
        "expert": 6,
    }
    genders = ["female"] * 22 + ["male"] * 28
    people: list[User] = []
    for category, count in categories.items():
        for _ in range(count):
            index = len(people)
            abroad = category == "expert" and index % 3 == 0
            someone = await person(
                session,
                gender=genders[index],
                category=category,
                region="abroad" if abroad else "batken",
                country="RU" if abroad else None,
                language="ky" if index % 2 else "ru",
            )
            people.append(someone)
            await events.register(session, someone, event.id, NOW)
    for number, ((topic, text), status) in enumerate(zip(BATKEN_PROPOSALS, STATUSES, strict=True)):
        session.add(
            Proposal(
                author_id=people[number].id,
                event_id=event.id,
                topic_code=topic,
                region_code="batken",
                text=text,
                status=status,
                support_count=10 - number,
            )
        )
    await session.flush()
    return event, people


async def test_outcome_document_of_the_batken_platform(session: AsyncSession) -> None:
    event, _ = await batken_replay(session)
    i18n = create_i18n(Path("locales"))
    with i18n.context(), i18n.use_locale("ky"):
        data = await outcome_document.build(session, event, "ky", TZ)
    document = Document(io.BytesIO(data))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "«Баткен облусунун өзгөчө статусу»" in text
    assert "Баткен шаары, «Айгүл-Тоо» мейманканасы" in text
    assert "Катышуучулардын саны: 50, 22 аял жана 28 эркек." in text
    assert "Мамлекеттик орган — 10" in text
    assert "Чет өлкөдөгүлөрдүн өлкөлөрү: Россия — 2" in text
    assert "Түшкөн сунуштар: 5" in text
    for _topic, proposal in BATKEN_PROPOSALS:
        assert proposal in text
    assert "Колдогондор: 10" in text
    assert "Ишке ашырылды" in text  # the fifth proposal's status
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    assert "Миграция жана мекендештер" in headings
    assert len(headings) == 5

    with i18n.context(), i18n.use_locale("ru"):
        data = await outcome_document.build(session, event, "ru", TZ)
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "«Особый статус Баткенской области»" in text
    assert "Число участников: 50, женщин — 22, мужчин — 28." in text
    assert "Поступившие предложения: 5" in text
    assert "Страны проживающих за рубежом: Россия — 2" in text


async def test_publish_tells_registrants_and_authors_once(session: AsyncSession) -> None:
    event, people = await batken_replay(session)
    outsider_author = await person(session, language="ru")
    session.add(
        Proposal(
            author_id=outsider_author.id,
            event_id=event.id,
            topic_code="water",
            region_code="batken",
            text="Суу",
            status="rejected",
        )
    )
    leaving = await events.registration_of(session, event.id, people[-1].id)
    assert leaving is not None
    await events.cancel_registration(session, leaving, people[-1], TZ, NOW)
    with pytest.raises(InvalidInput):
        await summaries.publish(session, event, author=people[0], text_ky=" ", text_ru=None)
    told = await summaries.publish(
        session, event, author=people[0], text_ky="Жыйынтык", text_ru=None
    )
    # 49 still registered, and the author of the rejected proposal (he sent one).
    assert told == 50
    rows = list(
        await session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == "summary_published")
        )
    )
    assert {row.user_id for row in rows} == {p.id for p in people[:-1]} | {outsider_author.id}
    again = await summaries.publish(
        session, event, author=people[0], text_ky="Жыйынтык 2", text_ru="Итоги"
    )
    assert again == 0
    summary = await session.get(EventSummary, event.id)
    assert summary is not None and summary.text("ru") == "Итоги"

    outcome = await summaries.outcome(session, event.id, people[1])
    figures = (outcome.received, outcome.forwarded, outcome.answered, outcome.accepted)
    assert figures == (5, 4, 3, 2)
    assert outcome.implemented == 1
    assert [p.status for p in outcome.mine] == ["forwarded"]


async def test_long_summary_pages_on_paragraphs(session: AsyncSession) -> None:
    event = await make_event(session)
    author = await person(session)
    sentence = "Баткендин өнүгүүсү жөнүндө сөз болду."
    paragraphs = [f"{n}-бөлүм. " + " ".join([sentence] * 40) for n in range(8)]
    await summaries.publish(
        session, event, author=author, text_ky="\n\n".join(paragraphs), text_ru=None
    )
    summary = await summaries.get(session, event.id)
    pages = summaries.pages(summary, "ky")
    assert len(pages) > 1
    assert all(len(page) <= summaries.PAGE_CHARS for page in pages)
    assert all(page.split("\n\n")[0].split("-бөлүм")[0].isdigit() for page in pages)
    assert "\n\n".join(pages) == "\n\n".join(paragraphs)
    # No Russian text: Russian readers get the Kyrgyz one.
    assert summaries.pages(summary, "ru") == pages


async def test_outcome_document_shows_the_agency_and_its_answer(session: AsyncSession) -> None:
    """A proposal forwarded and answered shows where it went and what came back."""
    event, _people = await batken_replay(session)
    i18n = create_i18n(Path("locales"))
    with i18n.context(), i18n.use_locale("ru"):
        before = await outcome_document.build(session, event, "ru", TZ)
    assert "Направлено:" not in "\n".join(p.text for p in Document(io.BytesIO(before)).paragraphs)

    agency = await session.scalar(select(Agency).order_by(Agency.id))
    assert agency is not None
    answered = await session.scalar(select(Proposal).where(Proposal.status == "answered"))
    assert answered is not None
    forwarding = Forwarding(proposal_id=answered.id, agency_id=agency.id, due_at=utcnow())
    session.add(forwarding)
    await session.flush()
    session.add(
        AgencyAnswer(forwarding_id=forwarding.id, text="Рассмотрим в 2027 году", outcome="accepted")
    )
    await session.flush()
    with i18n.context(), i18n.use_locale("ru"):
        after = await outcome_document.build(session, event, "ru", TZ)
    shown = "\n".join(p.text for p in Document(io.BytesIO(after)).paragraphs)
    assert f"Направлено: {agency.name_ru}." in shown
    assert "Ответ: Рассмотрим в 2027 году" in shown
