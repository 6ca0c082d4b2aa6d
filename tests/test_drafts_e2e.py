"""A draft's public discussion played by people through the fake Bot API, in Kyrgyz and
Russian: seed 002 uploaded as DOCX, its outline confirmed, comments and proposed wordings from
Batken, Osh, Naryn and abroad, supports counted once, decisions with reasons told to each
author in their language, and the table of comments opened with python-docx and openpyxl."""

import io
from datetime import timedelta
from zoneinfo import ZoneInfo

from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from bot import scheduler
from bot.keyboards.drafts import DraftOrgCb
from bot.services import events
from db.models import (
    Agency,
    AgencyRepresentative,
    Draft,
    DraftClause,
    DraftComment,
    DraftCommentSupport,
    OutboxMessage,
    User,
    utcnow,
)
from tests.db_fixtures import session_on
from tests.drafts_fixtures import CHAPTER_TITLES, docx_of, seed_blocks, seed_docx
from tests.e2e import inline_labels, person, texts, wait_until
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import ADMIN_ID, RunningBot
from tests.people import Participant, add_participants

TZ = ZoneInfo("Asia/Bishkek")
GULNARA, AZAMAT, BAKYT, OLGA, NURLAN, AIDA = 4101, 4102, 4103, 4104, 4105, 4106


def last_day(days: int = 30) -> str:
    return (utcnow().astimezone(TZ).date() + timedelta(days=days)).strftime("%d.%m.%Y")


async def rows(database_url: str, model, *where):  # type: ignore[no-untyped-def]
    async with session_on(database_url) as session:
        return list(await session.scalars(select(model).where(*where)))


def seeing(words: str):  # type: ignore[no-untyped-def]
    return lambda message: words in message.visible


def buttons(messages: list) -> list[str]:  # type: ignore[type-arg]
    return [label for m in messages for label in inline_labels(m)]


async def publish_seed(organizer) -> list:  # type: ignore[no-untyped-def]
    """The organizer's /newdraft in Kyrgyz, up to the outline (not yet confirmed)."""
    reply = await organizer.send("/newdraft")
    assert "Коомдук талкуу үчүн жаңы долбоор" in texts(reply)
    await organizer.send("Региондук саясаттын концепциясы")
    reply = await organizer.send("Концепция региональной политики")
    assert "кайсы мамлекеттик орган" in texts(reply)
    reply = await organizer.press("Айыл чарба министрлиги")
    assert "Талкуунун акыркы күнү" in texts(reply)
    reply = await organizer.send("32.13.2026")
    assert texts(reply) == "Датаны мындай жазыңыз: 31.12.2026."
    reply = await organizer.send(last_day())
    assert "коомдук угууга тиешелүүбү" in texts(reply)
    reply = await organizer.press("Өткөрүп жиберүү")
    assert "Word документи (.docx)" in texts(reply)
    # A PDF is refused with a clear answer, and nothing is stored.
    reply = await organizer.send_document("concept.pdf", b"%PDF-1.4 not a word file")
    assert "Бул Word документи (.docx) эмес" in texts(reply)
    return await organizer.send_document("concept.docx", seed_docx())


async def test_seed_002_discussed_decided_and_tabled_in_both_languages(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ky", full_name="Уюштуруучу"),
        Participant(GULNARA, "ky", "batken", "citizen", "Гүлнара Осмонова"),
        Participant(AZAMAT, "ru", "osh", "business", "Азамат Токтогулов"),
        Participant(BAKYT, "ky", "naryn", "expert", "Бакыт Асанов"),
        Participant(OLGA, "ru", "abroad", "diaspora", "Ольга Ким", country_code="RU"),
    )
    organizer = person(telegram, ADMIN_ID, "ky", "Уюштуруучу")
    assert len(await rows(database_url, Draft)) == 0
    reply = await publish_seed(organizer)
    outline = texts(reply)
    assert "Долбоордун түзүлүшү" in outline and "10 бөлүм" in outline
    for title in CHAPTER_TITLES:
        assert title in outline
    assert "Аталыштар табылган жок" not in outline
    reply = await organizer.press("✅ Жарыялоо")
    assert "https://t.me/kenesh_test_bot?start=dr_1" in texts(reply)

    # Gulnara (Batken, Kyrgyz) opens it by the deep link and comments on clause 2.1.1.
    gulnara = person(telegram, GULNARA, "ky", "Гүлнара")
    reply = await gulnara.send("/start dr_1")
    assert "Региондук саясаттын концепциясы" in texts(reply)
    assert "Жооптуу мамлекеттик орган: Айыл чарба министрлиги" in texts(reply)
    reply = await gulnara.press("2. Учурдагы кырдаалды талдоо")
    assert "Пункт: 2.1.1" in texts(reply) and "0 пикир" in texts(reply)
    reply = await gulnara.press("💬 Пикир")
    assert "эң көбү 3000 белги" in texts(reply)
    reply = await gulnara.send("   ")
    assert texts(reply) == "Текст бош. Пикириңизди жазыңыз."
    reply = await gulnara.send("ө" * 10_000)
    assert texts(reply).startswith("Өтө узун (10000 белги)")
    # A command typed here is that command, not the comment; the comment is still asked.
    reply = await gulnara.send("/help")
    assert "/p12" in texts(reply)
    comment = "Баткен облусунун чек ара айылдары үчүн өзүнчө программа керек: <суу> & жол."
    reply = await gulnara.send(comment)
    assert "атыңыз көрсөтүлсүнбү" in texts(reply)
    reply = await gulnara.press("Атым менен")
    assert "Пункт 2.1.1 боюнча пикириңиз сакталды" in texts(reply)

    # Azamat (Osh, Russian) finds it in /drafts and proposes a wording of clause 2.1.2.
    azamat = person(telegram, AZAMAT, "ru", "Азамат")
    reply = await azamat.send("/drafts")
    assert "Проекты на общественном обсуждении" in texts(reply)
    await azamat.press("Концепция региональной политики")
    await azamat.press("2. Учурдагы кырдаалды талдоо")
    reply = await azamat.press("Далее ▶")
    assert "Пункт 2.1.2" in texts(reply)
    reply = await azamat.press("✏️ Предложить редакцию")
    shown = [m for m in reply if m.text and m.text.startswith("<code>")]
    assert shown, "the clause's text is shown to copy"
    await azamat.send("Ош шаарын региондук өнүгүүнүн негизги борбору катары белгилөө.")
    reply = await azamat.send("Ош — второй город страны и центр юга.")
    assert "Указать в ней ваше имя?" in texts(reply)
    reply = await azamat.press("Без моего имени")
    assert "Ваша редакция пункта 2.1.2 сохранена" in texts(reply)

    # Bakyt (Naryn) and Olga (abroad) support Gulnara's comment; each support counts once.
    bakyt = person(telegram, BAKYT, "ky", "Бакыт")
    await bakyt.send("/start dr_1")
    await bakyt.press("2. Учурдагы кырдаалды талдоо")
    reply = await bakyt.press("👀 Пикирлер (1)")
    assert "Гүлнара Осмонова" in texts(reply) and "<суу> & жол" in texts(reply)
    await bakyt.press("👍 Колдоо")
    assert telegram.calls_of("answerCallbackQuery")[-1].params["text"] == (
        "Колдооңуз эсепке алынды (1)."
    )
    await bakyt.press("👍 Колдоо")
    assert telegram.calls_of("answerCallbackQuery")[-1].params["text"] == (
        "Сиз бул пикирди колдогонсуз."
    )
    olga = person(telegram, OLGA, "ru", "Ольга")
    await olga.send("/start dr_1")
    await olga.press("2. Учурдагы кырдаалды талдоо")
    await olga.press("👀 Замечания (1)")
    await olga.press("👍 Поддержать")
    assert telegram.calls_of("answerCallbackQuery")[-1].params["text"] == (
        "Ваша поддержка учтена (2)."
    )
    await gulnara.send("/start dr_1")
    await gulnara.press("2. Учурдагы кырдаалды талдоо")
    reply = await gulnara.press("👀 Пикирлер (1)")
    assert "👍 Колдоо" not in buttons(reply)  # no support button on one's own comment
    # Olga comments on the same clause, and Bakyt on the introduction.
    await olga.press("💬 Замечание")
    await olga.send("Нужно учесть трудовых мигрантов из Баткена в России.")
    await olga.press("Без моего имени")
    await bakyt.send("/start dr_1")
    reply = await bakyt.press("Аталышы жок бөлүк")
    assert "Пункт: 1" in texts(reply)
    await bakyt.press("💬 Пикир")
    await bakyt.send("Токтомдун датасы жана номери долбоордун башында туура көрсөтүлсүн.")
    await bakyt.press("Атымсыз")
    supports = await rows(database_url, DraftCommentSupport)
    assert len(supports) == 2
    reply = await olga.press("🔥 Самые обсуждаемые")
    assert texts(reply).index("2.1.1: 2 замечания") < texts(reply).index("2.1.2: 1 замечание")

    # The organizer decides on each comment, clause by clause, with a reason.
    reply = await organizer.send("/managedrafts")
    reply = await organizer.press("Региондук саясаттын концепциясы")
    assert "4 пикир" in texts(reply) and "Чечими жок: 4" in texts(reply)
    reply = await organizer.press("🗂 Пикирлер боюнча чечим")
    assert "Пункт: 1" in texts(reply) and "Нарын облусу" in texts(reply)  # Bakyt, no name
    assert "Бакыт" not in texts(reply)
    decisions = [
        ("☑️ Жарым-жартылай кабыл алынды", "Датасы оңдолот, номери өзгөрбөйт."),
        ("✅ Кабыл алынды", "Чек ара айылдары үчүн программа 2.1.1-пунктка кошулат."),
        ("❌ Кабыл алынган жок", "Миграция өзүнчө концепцияда каралат."),
        ("☑️ Жарым-жартылай кабыл алынды", "Ош шаары борбор катары 5.1-бөлүмдө көрсөтүлгөн."),
    ]
    for button, reason in decisions:
        reply = await organizer.press(button)
        assert "Эми себебин жазыңыз" in texts(reply)
        reply = await organizer.send(reason)
        assert "Чечим сакталды" in texts(reply)
    assert "Бардык пикирлер боюнча чечим чыгарылды." in texts(reply)

    # Each author reads the decision in their own language.
    notice = await gulnara.wait_for(seeing("Чечим: Кабыл алынды"))
    assert "Себеби: Чек ара айылдары үчүн программа" in notice.visible
    notice = await azamat.wait_for(seeing("Решение: Принято частично"))
    assert "Предложенная вами редакция" in notice.visible
    notice = await olga.wait_for(seeing("Решение: Не принято"))
    assert "Обоснование" not in notice.visible and "Миграция өзүнчө" in notice.visible
    await bakyt.wait_for(seeing("Жарым-жартылай кабыл алынды"))

    # The table of comments, opened as a person would open the files.
    reply = await organizer.press("📄 Пикирлер таблицасы")
    files = {m.document[0]: m.document[1] for m in reply if m.document}
    docx = Document(io.BytesIO(files["draft-1-comments.docx"]))
    cells = [[c.text for c in row.cells] for row in docx.tables[0].rows]
    assert cells[0][0] == "Пункттун №" and len(cells) == 5
    by_text = {row[2]: row for row in cells[1:]}
    gulnara_row = by_text[comment]
    assert gulnara_row[0] == "2.1.1" and gulnara_row[4] == "Гүлнара Осмонова"
    assert gulnara_row[5] == "Кабыл алынды" and "программа" in gulnara_row[6]
    olga_row = by_text["Нужно учесть трудовых мигрантов из Баткена в России."]
    assert olga_row[4] == "Чет өлкөдөгү мекендеш, Россия" and olga_row[5] == "Кабыл алынган жок"
    azamat_row = next(row for row in cells[1:] if row[0] == "2.1.2")
    assert azamat_row[2].startswith("Сунушталган редакция: Ош шаарын")
    assert azamat_row[3] == "Ош — второй город страны и центр юга."
    assert azamat_row[4] == "Бизнес, Ош шаары"  # no name: category and region
    summary = "\n".join(p.text for p in docx.paragraphs)
    assert "Бардык пикирлер: 4" in summary
    assert "Толук же жарым-жартылай кабыл алынды: 75%" in summary
    workbook = load_workbook(io.BytesIO(files["draft-1-comments.xlsx"]))
    sheet = workbook.worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(values) == 5 and {row[5] for row in values[1:]} == {
        "Кабыл алынды", "Жарым-жартылай кабыл алынды", "Кабыл алынган жок",
    }  # fmt: skip
    summary_sheet = [[c.value for c in row] for row in workbook.worksheets[1].iter_rows()]
    assert ["Баткен облусу", "1"] in summary_sheet and ["Россия", "1"] in summary_sheet

    # Where the comments came from, per chapter: a chart and its figures.
    reply = await organizer.press("📊 Пикирлер аймактар боюнча")
    assert any(m.photo for m in reply)
    figures = texts(reply)
    assert "• 2. Учурдагы кырдаалды талдоо — Баткен облусу: 1, Ош шаары: 1, Россия: 1" in figures
    assert "• Аталышы жок бөлүк — Нарын облусу: 1" in figures

    # After the period, comments are refused with a clear answer and nothing is saved.
    async with session_on(database_url) as session:
        draft = await session.get(Draft, 1)
        assert draft is not None
        draft.closes_at = utcnow() - timedelta(minutes=1)
        await session.commit()
    reply = await azamat.press("💬 Замечание")
    assert "Обсуждение этого проекта закрыто" in texts(reply)
    assert len(await rows(database_url, DraftComment)) == 4
    assert not [m for m in await rows(database_url, OutboxMessage) if m.status == "failed"]


LONG_PARAGRAPH = " ".join(
    f"Сүйлөм {i}: аймактарды өнүктүрүү программасы ар бир айылга жетиши керек." for i in range(90)
)


async def represent(database_url: str, telegram_id: int, agency_code: str) -> None:
    """A representative of an agency (their binding by link is another journey's subject)."""
    async with session_on(database_url) as session:
        user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
        agency = await session.scalar(select(Agency).where(Agency.code == agency_code))
        assert user is not None and agency is not None
        session.add(AgencyRepresentative(agency_id=agency.id, user_id=user.id))
        await session.commit()


async def hearing(database_url: str) -> int:
    """A published public hearing with one registrant (the subject here is the draft)."""
    async with session_on(database_url) as session:
        admin = await session.scalar(select(User).where(User.telegram_id == ADMIN_ID))
        registrant = await session.scalar(select(User).where(User.telegram_id == AZAMAT))
        assert admin is not None and registrant is not None
        event = await events.save_event(
            session,
            events.EventDraft(
                kind_code="public-hearing",
                title_ky="Концепция боюнча коомдук угуу",
                title_ru="Публичные слушания по концепции",
                starts_at=utcnow() + timedelta(days=10),
                ends_at=utcnow() + timedelta(days=10, hours=2),
                format="in_person",
                venue="Бишкек, Ак үй",
                region_code="bishkek",
            ),
            author=admin,
            publish=True,
            tz=TZ,
            now=utcnow(),
        )
        await events.register(session, registrant, event.id)
        await session.commit()
        return event.id


async def test_russian_organizer_fallback_translation_hearing_and_failures(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Организатор"),
        Participant(AZAMAT, "ru", "osh", "business", "Азамат Токтогулов"),
        Participant(GULNARA, "ky", "batken", "citizen", "Гүлнара Осмонова"),
        Participant(NURLAN, "ky", "bishkek", "state-body", "Нурлан Бекиев"),
        Participant(AIDA, "ky", "bishkek", "state-body", "Аида Садыкова"),
    )
    event_id = await hearing(database_url)
    gulnara = person(telegram, GULNARA, "ky", "Гүлнара")
    # Organizer commands and buttons are refused to everyone else, whatever they press.
    reply = await gulnara.send("/newdraft")
    assert texts(reply) == "Бул буйрук уюштуруучулар үчүн гана."
    await gulnara.press_data(DraftOrgCb(action="manage", id=1).pack())
    assert telegram.calls_of("answerCallbackQuery")[-1].params["text"] == (
        "Бул баскыч эми иштебейт."
    )

    organizer = person(telegram, ADMIN_ID, "ru", "Организатор")
    await organizer.send("/newdraft")
    reply = await organizer.press("Пропустить")
    assert "название на русском" in texts(reply)
    await organizer.send("Концепция региональной политики (проект)")
    await organizer.press("Министерство сельского хозяйства")
    await organizer.send(last_day(2))
    await organizer.press("Публичные слушания по концепции")
    blocks = [(0, LONG_PARAGRAPH), *[(0, text) for _l, text in seed_blocks()[1:12]]]
    # A file Telegram cannot give back: a clear answer, and the step is still open.
    reply = await organizer._update(
        {"message": organizer._message(document={"file_id": "lost", "file_unique_id": "lost"})}
    )
    assert texts(reply) == "Не удалось скачать файл. Отправьте его ещё раз."
    reply = await organizer.send_document("concept-ru.docx", docx_of(blocks, headings=False))
    assert "Заголовки не найдены" in texts(reply) and "1 глава, 12 пунктов" in texts(reply)
    assert "1 пункт длиннее одного сообщения Telegram" in texts(reply)
    reply = await organizer.press("🌐 Добавить версию на другом языке")
    assert "кыргызскую версию" in texts(reply)
    kyrgyz = [(0, f"Кыргызча: {text}") for _l, text in blocks]
    reply = await organizer.send_document("concept-ky.docx", docx_of(kyrgyz, headings=False))
    assert "Без пары: здесь 0, в новом тексте 0." in texts(reply)
    await organizer.press("✅ Опубликовать")

    # The hearing's card leads to the draft; the long clause arrives in whole parts.
    reply = await gulnara.send(f"/start ev_{event_id}")
    reply = await gulnara.press("📜 Талкуудагы долбоор")
    assert "Концепция региональной политики (проект)" in texts(reply)
    reply = await gulnara.press("Аталышы жок бөлүк")
    parts = [m for m in reply if m.text]
    assert len(parts) == 2 and all(len(m.text or "") <= 4096 for m in parts)
    shown = " ".join(m.visible for m in parts)
    assert "Кыргызча: " + LONG_PARAGRAPH.replace("  ", " ") in " ".join(shown.split())
    await gulnara.press("💬 Пикир")
    await gulnara.send("Ар бир айылга жетиши үчүн каржылоо булагы көрсөтүлсүн.")
    await gulnara.press("Атым менен")

    # The reminder a few days before the end reaches the hearing's registrant, once.
    assert running_bot.app is not None
    telegram.add_user(AZAMAT, "Азамат")
    assert await scheduler.sweep_drafts(running_bot.app) == 1
    azamat = person(telegram, AZAMAT, "ru", "Азамат")
    notice = await azamat.wait_for(seeing("скоро завершится"))
    assert "Последний день для замечаний" in notice.visible
    assert await scheduler.sweep_drafts(running_bot.app) == 0

    # The decision meets a 429 and still arrives; a blocked author's notice is dropped.
    telegram.fail_next("sendMessage", status=429, retry_after=1, chat_id=GULNARA)
    await organizer.send("/managedrafts")
    await organizer.press("Концепция региональной политики (проект)")
    await organizer.press("🗂 Решения по замечаниям")
    await organizer.press("✅ Принято")
    await organizer.send("Источник финансирования будет указан.")
    notice = await gulnara.wait_for(seeing("Чечим: Кабыл алынды"))
    assert "Ар бир айылга жетиши үчүн" in notice.visible and telegram.rejected_429 == 1
    await azamat.send("/start dr_1")
    await azamat.press("Текст без заголовка")
    await azamat.press("✏️ Предложить редакцию")
    wording = "Новая редакция первого пункта. " + "Уточнение к пункту. " * 145
    reason = "Так понятнее для жителей сёл. " * 50
    await azamat.send(wording.strip())
    await azamat.send(reason.strip())
    await azamat.press("С моим именем")
    # Text, reason and name together pass one message: shown in whole parts, button last.
    await gulnara.send("/start dr_1")
    await gulnara.press("Аталышы жок бөлүк")
    reply = await gulnara.press("👀 Пикирлер (2)")
    assert all(len(m.text or "") <= 4096 for m in reply) and len(reply) == 3
    assert " ".join(reason.split()) in " ".join(texts(reply).split())
    assert inline_labels(reply[-1]) == ["👍 Колдоо"]
    telegram.block(AZAMAT)
    # A representative of the responsible agency decides too; one of another agency cannot.
    await represent(database_url, NURLAN, "minagro")
    await represent(database_url, AIDA, "mfa")
    aida = person(telegram, AIDA, "ky", "Аида")
    reply = await aida.send("/managedrafts")
    assert texts(reply) == "Бул буйрук уюштуруучулар үчүн гана."
    nurlan = person(telegram, NURLAN, "ky", "Нурлан")
    await nurlan.send("/managedrafts")
    reply = await nurlan.press("Концепция региональной политики (проект)")
    assert "🆕 Жаңы редакцияны жүктөө" not in buttons(reply)
    reply = await nurlan.press("🗂 Пикирлер боюнча чечим")
    assert "Новая редакция первого пункта." in texts(reply)
    decide = next(
        b["callback_data"]
        for m in reply
        for row in (m.reply_markup or {}).get("inline_keyboard", [])
        for b in row
        if b["text"] == "❌ Кабыл алынган жок"
    )
    await aida.press_data(decide)
    assert telegram.calls_of("answerCallbackQuery")[-1].params["text"] == (
        "Бул баскыч эми иштебейт."
    )
    await nurlan.press("❌ Кабыл алынган жок")
    reply = await nurlan.send("Редакция не меняет смысла.")
    assert "Чечим сакталды" in texts(reply)

    async def decision_dropped() -> bool:
        queued = await rows(database_url, OutboxMessage)
        return any(m.template == "draft_decision" and m.status == "dropped" for m in queued)

    await wait_until(decision_dropped)


async def test_pasted_text_in_several_messages_and_a_discarded_draft(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ky", full_name="Уюштуруучу"),
        Participant(AZAMAT, "ru", "osh", "business", "Азамат Токтогулов"),
    )
    organizer = person(telegram, ADMIN_ID, "ky", "Уюштуруучу")
    await organizer.send("/newdraft")
    await organizer.send("Региондук саясат")
    await organizer.press("Өткөрүп жиберүү")
    await organizer.press("Айыл чарба министрлиги")
    await organizer.send(last_day())
    await organizer.press("Өткөрүп жиберүү")
    reply = await organizer.send("Бул сунуштар эмес, жөн эле сандар: 12 34 56")
    assert "Алынды: 43 белги" in texts(reply)
    reply = await organizer.press("Даяр")
    assert "Аталыштар табылган жок" in texts(reply) and "1 пункт" in texts(reply)
    reply = await organizer.press("Сактабоо")
    assert "Долбоор жокко чыгарылды" in texts(reply)
    assert await rows(database_url, Draft) == []
    assert await rows(database_url, DraftClause) == []

    await organizer.send("/newdraft")
    await organizer.send("Региондук саясат")
    await organizer.press("Өткөрүп жиберүү")
    await organizer.press("Айыл чарба министрлиги")
    await organizer.send(last_day())
    await organizer.press("Өткөрүп жиберүү")
    first, second = (
        "1. Жалпы жоболор\nБул концепция региондорду өнүктүрүүнүн негизин түзөт.\n"
        "Концепция бардык аймактарга тиешелүү.",
        "2. Ишке ашыруу\n2.1. Мониторинг\nМониторинг жыл сайын жүргүзүлөт.\n"
        "Жыйынтыктары коомчулукка жарыяланат.",
    )
    await organizer.send(first)
    await organizer.send(second)
    reply = await organizer.press("Даяр")
    outline = texts(reply)
    assert "2 бөлүм, 4 пункт" in outline and "Аталыштар табылган жок" not in outline
    assert "• 1. Жалпы жоболор — 2 пункт" in outline and "• 2. Ишке ашыруу — 2 пункт" in outline
    await organizer.press("✅ Жарыялоо")
    clauses = await rows(database_url, DraftClause)
    assert [c.number for c in clauses] == ["1.1", "1.2", "2.1.1", "2.1.2"]

    # A new version: who commented on a changed clause reads what it says now.
    azamat = person(telegram, AZAMAT, "ru", "Азамат")
    await azamat.send("/drafts")
    await azamat.press("Региондук саясат")
    reply = await azamat.press("2. Ишке ашыруу")
    assert "Мониторинг жыл сайын жүргүзүлөт." in texts(reply)
    await azamat.press("💬 Замечание")
    await azamat.send("Раз в год мало.")
    await azamat.press("Без моего имени")
    await organizer.send("/managedrafts")
    await organizer.press("Региондук саясат")
    reply = await organizer.press("🆕 Жаңы редакцияны жүктөө")
    assert "негизги тилинде" in texts(reply)
    await organizer.send(first)
    await organizer.send(second.replace("жыл сайын", "ар чейректе"))
    reply = await organizer.press("Даяр")
    assert "Өзгөргөн пункттар: 1" in texts(reply)
    notice = await azamat.wait_for(seeing("Пункт 2.1.1, к которому вы оставили замечание"))
    assert "Мониторинг ар чейректе жүргүзүлөт." in notice.visible
    assert "Было:\nМониторинг жыл сайын жүргүзүлөт." in notice.visible
