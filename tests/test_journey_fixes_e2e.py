"""The holes found by walking the journeys as a new user would (issue 13), each replayed
through the fake Bot API by pressing the buttons of the messages the bot sent."""

from copy import deepcopy
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.services import events
from db.models import Proposal, ProposalSupport, User, utcnow
from tests.db_fixtures import session_on
from tests.e2e import inline_labels, person, texts
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import ADMIN_ID, RunningBot, make_settings
from tests.people import Participant, add_participants

TZ = ZoneInfo("Asia/Bishkek")


async def rows(database_url: str, model, *where):  # type: ignore[no-untyped-def]
    async with session_on(database_url) as session:
        return list(await session.scalars(select(model).where(*where)))


async def published_event(database_url: str) -> int:
    """A coming event the organizer published (the subject here is what people do with it)."""
    async with session_on(database_url) as session:
        admin = await session.scalar(select(User).where(User.telegram_id == ADMIN_ID))
        start = utcnow() + timedelta(days=5)
        event = await events.save_event(
            session,
            events.EventDraft(
                kind_code="forum",
                title_ky="Мекендештер форуму",
                title_ru="Форум соотечественников",
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                format="online",
                online_url="https://example.org/forum",
                region_code="abroad",
                topic_codes=["migration", "education"],
            ),
            author=admin,
            publish=True,
            tz=TZ,
            now=utcnow(),
        )
        await session.commit()
        return event.id


async def write(someone, topic: str, region: str, text: str) -> list:  # type: ignore[no-untyped-def]
    """Topic, region, text, no attachment, under one's name: up to the preview."""
    ru = someone.user["language_code"] == "ru"
    await someone.press(topic)
    await someone.press(region)
    await someone.send(text)
    await someone.press("Пропустить" if ru else "Өткөрүп жиберүү")
    return await someone.press("Под моим именем" if ru else "Атым менен")


async def submit_one(someone, text: str) -> None:  # type: ignore[no-untyped-def]
    await someone.send("/propose")
    await write(someone, "Вода и ирригация", "Баткенская область", text)
    reply = await someone.press("Отправить")
    assert "отправлено" in texts(reply), texts(reply)


# --- 1 ------------------------------------------------------------------------------------


async def test_1_a_proposal_from_the_event_card_is_tied_to_the_event(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Организатор"),
        Participant(13001, "ru", "abroad", country_code="RU", full_name="Асель Мамытова"),
    )
    event_id = await published_event(database_url)
    asel = person(telegram, 13001, "ru", "Асель")
    reply = await asel.send(f"/start ev_{event_id}")
    assert "Форум соотечественников" in texts(reply)
    reply = await asel.press("✍️ Предложение к этому мероприятию")
    assert "О чём ваше предложение?" in texts(reply)
    await write(
        asel,
        "Миграция и соотечественники",
        "За рубежом (соотечественники)",
        "Открыть консульский пункт в Екатеринбурге для мигрантов из Кыргызстана",
    )
    reply = await asel.press("Отправить")
    assert "отправлено" in texts(reply)
    [proposal] = await rows(database_url, Proposal)
    assert proposal.event_id == event_id


# --- 2 ------------------------------------------------------------------------------------


async def test_2_moderation_pages_by_keyset_and_publishes_a_page_by_token(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Модератор"),
        *(Participant(13100 + i, "ru", "batken", full_name="Автор") for i in range(8)),
    )
    for i in range(8):
        author = person(telegram, 13100 + i, "ru", "Автор")
        await submit_one(author, f"Предложение номер {i + 1}: отремонтировать канал в селе")
    moderator = person(telegram, ADMIN_ID, "ru", "Модератор")
    reply = await moderator.send("/moderate")
    assert "Ждут модерации: 8" in texts(reply)
    first_page = [m for m in reply if "✅ Опубликовать" in inline_labels(m)]
    assert len(first_page) == 5
    # Two of the first page by hand, then the next page: nothing is skipped.
    await moderator.press("✅ Опубликовать", _raw(telegram, first_page[0]))
    await moderator.press("✅ Опубликовать", _raw(telegram, first_page[1]))
    reply = await moderator.press("Далее ▶")
    shown = texts(reply)
    for number in (6, 7, 8):
        assert f"Предложение номер {number}:" in shown, shown
    publish_all = [
        b
        for m in reply
        for row in (m.reply_markup or {}).get("inline_keyboard", [])
        for b in row
        if b["text"].startswith("✅ Опубликовать все")
    ]
    assert publish_all and publish_all[0]["text"] == "✅ Опубликовать все 3 предложения выше"
    assert len(publish_all[0]["callback_data"].encode()) <= 64
    reply = await moderator.press("✅ Опубликовать все 3 предложения выше")
    assert "Опубликовано: 3." in texts(reply)
    waiting = await rows(database_url, Proposal, Proposal.status == "submitted")
    assert sorted(p.text.split(":")[0][-1] for p in waiting) == ["3", "4", "5"]


def _raw(telegram: FakeTelegramServer, sent) -> dict:  # type: ignore[no-untyped-def]
    """The message as the person's client holds it (to press a button of that copy)."""
    return telegram._messages[sent.chat_id][sent.message_id]


# --- 3 ------------------------------------------------------------------------------------


async def test_3_support_twice_stays_support_and_taking_back_is_its_own_button(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Модератор"),
        Participant(13201, "ru", "batken", full_name="Автор"),
        Participant(13202, "ky", "osh", full_name="Колдоочу"),
    )
    await submit_one(person(telegram, 13201, "ru"), "Построить новую школу в селе Кара-Булак")
    moderator = person(telegram, ADMIN_ID, "ru", "Модератор")
    await moderator.send("/moderate")
    await moderator.press("✅ Опубликовать")
    fan = person(telegram, 13202, "ky", "Колдоочу")
    card = [m for m in await fan.send("/p1") if inline_labels(m)][-1]
    older_copy = deepcopy(_raw(telegram, card))
    await fan.press("👍 Колдоо", older_copy)
    await fan.press("👍 Колдоо", older_copy)  # a double tap, or an older copy of the card
    assert len(await rows(database_url, ProposalSupport)) == 1
    answer = telegram.calls_of("answerCallbackQuery")[-1].params
    assert answer["text"] == "Сиз бул сунушту колдодуңуз (1)."
    await fan.press("👍 Колдоомду кайра алуу")
    assert await rows(database_url, ProposalSupport) == []
    [proposal] = await rows(database_url, Proposal)
    assert proposal.support_count == 0


# --- 5 ------------------------------------------------------------------------------------


async def test_5_the_daily_limit_is_told_at_propose_and_a_kept_draft_is_kept(
    database_url: str, telegram: FakeTelegramServer
) -> None:
    from tests.harness import RunningBot as Bot

    bot = await Bot(make_settings(database_url, telegram.base_url, proposals_per_day=1)).start()
    try:
        await add_participants(database_url, Participant(13301, "ru", full_name="Автор"))
        author = person(telegram, 13301, "ru")
        # Two drafts opened before the first is sent: the second meets the limit at "Submit".
        await author.send("/propose")
        await write(
            author, "Вода и ирригация", "Баткенская область", "Первое предложение о воде и каналах"
        )
        await author.press("Отправить")
        reply = await author.send("/propose")
        assert "Сегодня вы отправили 1 предложение — это предел на день" in texts(reply)
        assert "О чём ваше предложение?" not in texts(reply)
    finally:
        await bot.stop()


async def test_5_a_draft_refused_at_submit_stays_and_goes_once_allowed(
    database_url: str, telegram: FakeTelegramServer
) -> None:
    from tests.harness import RunningBot as Bot

    bot = await Bot(make_settings(database_url, telegram.base_url, proposals_per_day=1)).start()
    try:
        await add_participants(database_url, Participant(13302, "ru", full_name="Автор"))
        author = person(telegram, 13302, "ru")
        await author.send("/propose")
        await write(
            author,
            "Вода и ирригация",
            "Баткенская область",
            "Второе предложение: чистая вода в школах",
        )
        # Meanwhile one proposal was sent today (another device, an earlier draft).
        async with session_on(database_url) as session:
            from bot.services import proposals
            from bot.services.proposals import ProposalDraft

            user = await session.scalar(select(User).where(User.telegram_id == 13302))
            await proposals.submit(
                session,
                user,
                ProposalDraft("water", "batken", "Первое предложение о воде"),
                daily_limit=1,
            )
            await session.commit()
        reply = await author.press("Отправить")
        assert "Черновик сохранён" in texts(reply)
        assert "Второе предложение: чистая вода в школах" in texts(reply)
        # A day later (the first one is a day old) the same draft goes with one press.
        async with session_on(database_url) as session:
            for p in await session.scalars(select(Proposal)):
                p.created_at = utcnow() - timedelta(days=1, minutes=1)
            await session.commit()
        reply = await author.press("Отправить")
        assert "Предложение #2 отправлено" in texts(reply)
        second = await rows(database_url, Proposal, Proposal.id == 2)
        assert second[0].text == "Второе предложение: чистая вода в школах"
    finally:
        await bot.stop()


# --- 6 ------------------------------------------------------------------------------------


async def test_6_search_and_my_proposals_page_through_everything(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Модератор"),
        Participant(13401, "ru", "batken", full_name="Автор"),
        Participant(13402, "ru", "batken", full_name="Соавтор"),
    )
    author, other = person(telegram, 13401, "ru"), person(telegram, 13402, "ru")
    for i in range(12):
        await submit_one(author if i < 7 else other, f"Канал номер {i + 1}: почистить арык")
    moderator = person(telegram, ADMIN_ID, "ru", "Модератор")
    for _page in range(3):
        reply = await moderator.send("/moderate")
        label = next(b for m in reply for b in inline_labels(m) if b.endswith(" выше"))
        await moderator.press(label)
    assert await rows(database_url, Proposal, Proposal.status == "submitted") == []
    seen: set[str] = set()
    reply = await author.send("/search арык")
    assert "Найдено: 12" in texts(reply)
    while True:
        seen |= {b for m in reply for b in inline_labels(m) if b.startswith("Открыть")}
        if "Далее ▶" not in [b for m in reply for b in inline_labels(m)]:
            break
        reply = await author.press("Далее ▶")
    assert len(seen) == 12
    seen = set()  # /myproposals: the author's seven
    reply = await author.send("/myproposals")
    assert "Мои предложения</b> (7)" in reply[0].text
    while True:
        seen |= {b for m in reply for b in inline_labels(m) if b.startswith("Открыть")}
        if "Далее ▶" not in [b for m in reply for b in inline_labels(m)]:
            break
        reply = await author.press("Далее ▶")
    assert len(seen) == 7


# --- 12 -----------------------------------------------------------------------------------


async def test_12_a_mistaken_reject_is_cancelled_and_cancel_stops_every_flow(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ky", full_name="Модератор"),
        Participant(13501, "ru", "batken", full_name="Автор"),
    )
    await submit_one(person(telegram, 13501, "ru"), "Отремонтировать мост через реку в селе")
    moderator = person(telegram, ADMIN_ID, "ky", "Модератор")
    await moderator.send("/moderate")
    await moderator.press("❌ Четке кагуу")
    reply = await moderator.press("Жокко чыгаруу")
    assert "Токтотулду" in texts(reply)
    reply = await moderator.send("Жакшы сунуш экен")  # no longer taken as a reason
    [proposal] = await rows(database_url, Proposal)
    assert proposal.status == "submitted"
    await moderator.press("❌ Четке кагуу")
    reply = await moderator.send("/cancel")
    assert "Токтотулду" in texts(reply)
    await moderator.send("Дагы бир жолу")
    [proposal] = await rows(database_url, Proposal)
    assert proposal.status == "submitted"
    # The same /cancel stops the proposal form and the event form.
    author = person(telegram, 13501, "ru")
    await author.send("/propose")
    await author.press("Вода и ирригация")
    reply = await author.send("/cancel")
    assert "Остановлено. Ничего не сохранено и не отправлено." in texts(reply)
    reply = await author.send("/cancel")
    assert "Нечего останавливать." in texts(reply)


# --- 13 -----------------------------------------------------------------------------------


async def test_13_a_participant_pressing_an_organizers_button_is_told_whom_it_is_for(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Модератор"),
        Participant(13601, "ky", "batken", full_name="Катышуучу"),
        Participant(13602, "ru", "osh", full_name="Участник"),
    )
    await submit_one(person(telegram, 13602, "ru"), "Отремонтировать дорогу к школе в селе")
    moderator = person(telegram, ADMIN_ID, "ru", "Модератор")
    reply = await moderator.send("/moderate")
    card = next(m for m in reply if "✅ Опубликовать" in inline_labels(m))
    for someone, expected in (
        (person(telegram, 13601, "ky"), "Бул баскыч уюштуруучулар үчүн гана."),
        (person(telegram, 13602, "ru"), "Эта кнопка только для организаторов."),
    ):
        await someone.press_data(card.reply_markup["inline_keyboard"][0][0]["callback_data"])
        answer = telegram.calls_of("answerCallbackQuery")[-1].params
        assert answer.get("text") == expected and answer.get("show_alert") in (True, "true")
    reply = await person(telegram, 13602, "ru").send("/moderate")
    assert texts(reply) == "Эта команда только для организаторов."
    [proposal] = await rows(database_url, Proposal)
    assert proposal.status == "submitted"


# --- 4 ------------------------------------------------------------------------------------


async def test_4_search_folds_yo_into_ye_and_keeps_kyrgyz_letters_apart(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Модератор"),
        Participant(13701, "ru", "batken", full_name="Автор"),
        Participant(13702, "ky", "naryn", full_name="Автор"),
    )
    await submit_one(person(telegram, 13701, "ru"), "Объединённые водные комитеты ЁЛКИ в сёлах")
    ky = person(telegram, 13702, "ky")
    await ky.send("/propose")
    await ky.press("Суу жана сугат")
    await ky.press("Нарын облусу")
    await ky.send("Айылдын өнүгүүсү үчүн суу түтүгүн оңдоо керек")
    await ky.press("Өткөрүп жиберүү")
    await ky.press("Атым менен")
    await ky.press("Жөнөтүү")
    moderator = person(telegram, ADMIN_ID, "ru", "Модератор")
    await moderator.send("/moderate")
    await moderator.press(
        next(b for m in moderator.inbox for b in inline_labels(m) if b.endswith("выше"))
    )
    reader = person(telegram, 13701, "ru")
    for query in ("объединенные", "ОБЪЕДИНЁННЫЕ", "елки селах", "ёлки"):
        assert "Найдено: 1" in texts(await reader.send(f"/search {query}")), query
    assert "Найдено: 1" in texts(await reader.send("/search өнүгүү"))
    for query in ("онугуу", "унугуу"):  # ө and ү are letters of their own
        assert texts(await reader.send(f"/search {query}")).startswith("Ничего не найдено."), query


# --- 7 ------------------------------------------------------------------------------------


async def test_7_a_representative_gets_notices_in_their_language_with_buttons(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    import re

    from bot.notices import render
    from db.models import OutboxMessage

    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Организатор"),
        Participant(13801, "ru", "batken", full_name="Автор"),
    )
    await submit_one(person(telegram, 13801, "ru"), "Нужны учителя в школах Баткенской области")
    organizer = person(telegram, ADMIN_ID, "ru", "Организатор")
    await organizer.send("/moderate")
    await organizer.press("✅ Опубликовать")
    link = re.search(r"start=(ag_[\w-]+)", texts(await organizer.send("/invite minedu")))
    assert link is not None
    # A new person, Telegram in Russian, arrives by the invitation link only.
    rep = person(telegram, 13802, "ru", "Нурлан")
    reply = await rep.send(f"/start {link.group(1)}")
    assert "/items" in texts(reply) and "«Ответить»" in texts(reply)
    [stored] = await rows(database_url, User, User.telegram_id == 13802)
    assert stored.language == "ru"
    await organizer.send("/forward 1")
    await organizer.press("Минобрнауки")
    notice = await rep.wait_for("Нужны учителя")
    labels = [b["text"] for row in notice.reply_markup["inline_keyboard"] for b in row]
    assert labels == ["✍️ Ответить", "↩️ Не в нашей компетенции", "⏳ Попросить продлить срок"]
    reply = await rep.press("✍️ Ответить", _raw(telegram, notice))
    assert inline_labels(reply[-1])  # the outcomes to choose from
    # Reminders carry the same buttons.
    [item] = await rows(database_url, OutboxMessage, OutboxMessage.template == "agency_item")
    with running_bot.i18n.context(), running_bot.i18n.use_locale("ru"):
        reminder = render("agency_reminder", {**item.params, "slot": "due", "late_days": 0}, "ru")
    assert [[b.callback_data for b in row] for row in reminder.buttons] == [
        [row[0]["callback_data"]] for row in notice.reply_markup["inline_keyboard"]
    ]


async def representative_of_minedu(telegram: FakeTelegramServer, organizer, rep_id: int):  # type: ignore[no-untyped-def]
    import re

    link = re.search(r"start=(ag_[\w-]+)", texts(await organizer.send("/invite minedu")))
    assert link is not None
    rep = person(telegram, rep_id, "ru", "Нурлан")
    await rep.send(f"/start {link.group(1)}")
    return rep


# --- 8 ------------------------------------------------------------------------------------


async def test_8_the_satisfaction_question_shows_the_agency_and_its_answer_to_its_author_only(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    from bot.scheduler import sweep_agency_followup

    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Организатор"),
        Participant(13901, "ru", "batken", full_name="Автор"),
        Participant(13902, "ky", "osh", full_name="Башка адам"),
    )
    author = person(telegram, 13901, "ru")
    await submit_one(author, "Нужны учителя в школах Баткенской области")
    organizer = person(telegram, ADMIN_ID, "ru", "Организатор")
    await organizer.send("/moderate")
    await organizer.press("✅ Опубликовать")
    rep = await representative_of_minedu(telegram, organizer, 13903)
    await organizer.send("/forward 1")
    await organizer.press("Минобрнауки")
    notice = await rep.wait_for("Нужны учителя")
    await rep.press("✍️ Ответить", _raw(telegram, notice))
    await rep.press("Принято")
    await rep.send("В 2027 году министерство направит в Баткен 40 учителей.")
    await rep.press("Без документа")
    assert running_bot.app is not None
    await sweep_agency_followup(running_bot.app, now=utcnow() + timedelta(days=7, hours=1))
    question = await author.wait_for(lambda m: "Устраивает ли вас" in m.visible)
    assert "Министерство образования и науки" in question.visible
    assert "направит в Баткен 40 учителей" in question.visible
    assert "Нужны учителя в школах" not in question.visible
    # Someone else pressing it (a forwarded message) is told it is not theirs.
    stranger = person(telegram, 13902, "ky")
    await stranger.press_data(question.reply_markup["inline_keyboard"][0][0]["callback_data"])
    alert = telegram.calls_of("answerCallbackQuery")[-1].params
    assert alert["text"] == "Бул суроо сизге эмес, сунуштун авторуна берилген."
    await author.press("👍 Да", _raw(telegram, question))
    assert "Спасибо" in author.last  # type: ignore[operator]


# --- 9 ------------------------------------------------------------------------------------


async def test_9_the_outcome_document_lists_moderated_proposals_and_names_named_authors(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    import io

    from docx import Document

    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Организатор"),
        Participant(14001, "ru", "abroad", country_code="RU", full_name="Асель Мамытова"),
        Participant(14002, "ru", "abroad", country_code="TR", full_name="Тайный Автор"),
    )
    event_id = await published_event(database_url)
    for who, text, anonymously in (
        (14001, "Открыть консульский пункт в Екатеринбурге для мигрантов", False),
        (14002, "Упростить признание дипломов, полученных в Турции", True),
        (14001, "Организовать курсы кыргызского языка для детей мигрантов", False),
    ):
        someone = person(telegram, who, "ru")
        await someone.send(f"/start ev_{event_id}")
        await someone.press("✍️ Предложение к этому мероприятию")
        await someone.press("Миграция и соотечественники")
        await someone.press("За рубежом (соотечественники)")
        await someone.send(text)
        await someone.press("Пропустить")
        await someone.press("Анонимно" if anonymously else "Под моим именем")
        await someone.press("Отправить")
    organizer = person(telegram, ADMIN_ID, "ru", "Организатор")
    cards = await organizer.send("/moderate")
    for card in cards:  # the first two; the third still waits
        if "консульский" in card.visible or "дипломов" in card.visible:
            await organizer.press("✅ Опубликовать", _raw(telegram, card))
    await organizer.send("/organize")
    await organizer.press("📋 Мероприятия")
    await organizer.press(
        next(b for b in inline_labels(organizer.inbox[-1]) if "Форум соотечественников" in b)
    )
    await organizer.press("📄 Итоговый документ")
    reply = await organizer.press("Русский")
    [sent] = [m for m in reply if m.document]
    assert sent.document is not None
    doc = "\n".join(p.text for p in Document(io.BytesIO(sent.document[1])).paragraphs)
    assert "Открыть консульский пункт" in doc and "Упростить признание дипломов" in doc
    assert "курсы кыргызского языка" not in doc  # waiting for moderation
    assert "Автор: Асель Мамытова" in doc
    assert "Тайный Автор" not in doc


# --- 11 -----------------------------------------------------------------------------------


async def test_11_a_moved_due_date_reaches_the_organizer_and_the_proposals_history(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Организатор"),
        Participant(14101, "ru", "batken", full_name="Автор"),
    )
    author = person(telegram, 14101, "ru")
    await submit_one(author, "Нужны учителя в школах Баткенской области")
    organizer = person(telegram, ADMIN_ID, "ru", "Организатор")
    await organizer.send("/moderate")
    await organizer.press("✅ Опубликовать")
    rep = await representative_of_minedu(telegram, organizer, 14103)
    await organizer.send("/forward 1")
    await organizer.press("Минобрнауки")
    notice = await rep.wait_for("Нужны учителя")
    await rep.press("⏳ Попросить продлить срок", _raw(telegram, notice))
    await rep.send("5")
    await rep.send("Собираем сведения из районов")
    told = await organizer.wait_for("перенёс срок ответа на предложение № 1")
    assert "Собираем сведения из районов" in told.visible and "Срок ответа" in told.visible
    history = texts(await author.send("/p1"))
    assert "⏳ Собираем сведения из районов" in history


# --- 10 -----------------------------------------------------------------------------------


async def press_prefix(telegram: FakeTelegramServer, someone, prefix: str) -> list:  # type: ignore[no-untyped-def]
    """Presses the newest shown button whose callback data starts with `prefix`."""
    for message in telegram.current_messages(someone.user_id):
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if button.get("callback_data", "").startswith(prefix):
                    return await someone.press(button["text"], message)
    raise AssertionError(f"no button {prefix!r}")


async def test_10_checkin_takes_the_typed_code_and_a_cancelled_card_offers_no_cancel(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    import re

    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Организатор"),
        Participant(14201, "ru", "abroad", country_code="RU", full_name="Асель Мамытова"),
    )
    event_id = await published_event(database_url)
    asel = person(telegram, 14201, "ru", "Асель")
    await asel.send(f"/start ev_{event_id}")
    reply = await asel.press("Зарегистрироваться")
    code = re.search(r"<code>(\w+)</code>", reply[0].text or "")
    assert code is not None
    organizer = person(telegram, ADMIN_ID, "ru", "Организатор")
    reply = await organizer.send(f"/checkin {code.group(1)}")
    assert "Асель Мамытова: добро пожаловать" in texts(reply), texts(reply)
    # The organizer cancels the event; its card no longer offers "Cancel my registration".
    await organizer.send("/organize")
    await press_prefix(telegram, organizer, "org:list")
    await press_prefix(telegram, organizer, f"org:view:{event_id}")
    await press_prefix(telegram, organizer, f"org:cancel:{event_id}")
    await press_prefix(telegram, organizer, f"org:cancel_yes:{event_id}")
    card = await asel.send(f"/start ev_{event_id}")
    labels = [b for m in card for b in inline_labels(m)]
    assert "Отменить мою регистрацию" not in labels and "Зарегистрироваться" not in labels
    assert "✍️ Предложение к этому мероприятию" not in labels


async def test_10_promotion_and_a_new_time_bring_a_calendar_file_that_moves_the_entry(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Организатор"),
        Participant(14301, "ru", "batken", full_name="Асель"),
        Participant(14302, "ky", "batken", full_name="Бакыт"),
    )
    async with session_on(database_url) as session:
        admin = await session.scalar(select(User).where(User.telegram_id == ADMIN_ID))
        start = utcnow() + timedelta(days=5)
        event = await events.save_event(
            session,
            events.EventDraft(
                kind_code="dialogue",
                title_ky="Суу диалогу",
                title_ru="Диалог о воде",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                format="in_person",
                venue="Баткен",
                region_code="batken",
                topic_codes=["water"],
                capacity=1,
            ),
            author=admin,
            publish=True,
            tz=TZ,
            now=utcnow(),
        )
        await session.commit()
        event_id = event.id
    asel, bakyt = person(telegram, 14301, "ru"), person(telegram, 14302, "ky")
    await asel.send(f"/start ev_{event_id}")
    await asel.press("Зарегистрироваться")
    await bakyt.send(f"/start ev_{event_id}")
    await press_prefix(telegram, bakyt, f"ev:register:{event_id}")
    await asel.press("Отменить мою регистрацию")

    def calendar_file(m) -> bool:  # type: ignore[no-untyped-def]
        return m.document is not None and m.document[0].endswith(".ics")

    first = await bakyt.wait_for(calendar_file, timeout=30)
    assert first.document is not None
    first_ics = first.document[1].decode()
    assert f"UID:event-{event_id}@kenesh" in first_ics
    # The organizer moves the start a day earlier: the seated person gets the moved entry.
    organizer = person(telegram, ADMIN_ID, "ru", "Организатор")
    await organizer.send("/organize")
    await press_prefix(telegram, organizer, "org:list")
    await press_prefix(telegram, organizer, f"org:view:{event_id}")
    await press_prefix(telegram, organizer, f"org:edit:{event_id}")
    await press_prefix(telegram, organizer, "evform:edit:starts_at")
    new_start = (start - timedelta(days=1)).astimezone(TZ)
    await organizer.send(f"{new_start:%d.%m.%Y %H:%M}")
    await press_prefix(telegram, organizer, "evform:save:publish")
    second = await bakyt.wait_for(lambda m: calendar_file(m) and m is not first, timeout=30)
    assert second.document is not None
    second_ics = second.document[1].decode()
    assert f"UID:event-{event_id}@kenesh" in second_ics

    def sequence(ics: str) -> int:
        return int(next(line for line in ics.splitlines() if line.startswith("SEQUENCE:"))[9:])

    assert sequence(second_ics) > sequence(first_ics)
    assert f"DTSTART;TZID=Asia/Bishkek:{new_start:%Y%m%dT%H%M}" in second_ics


async def test_12_the_cancel_button_stops_the_event_form_and_an_agencys_answer(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Организатор"),
        Participant(14401, "ru", "batken", full_name="Автор"),
    )
    organizer = person(telegram, ADMIN_ID, "ru", "Организатор")
    await organizer.send("/organize")
    await press_prefix(telegram, organizer, "org:new")
    reply = await press_prefix(telegram, organizer, "stop:")
    assert "Остановлено. Ничего не сохранено и не отправлено." in texts(reply)
    reply = await organizer.send("Форум о воде")  # no longer taken as the event's kind
    assert "Остановлено" not in texts(reply) and "Когда" not in texts(reply)
    await submit_one(person(telegram, 14401, "ru"), "Нужны учителя в школах Баткенской области")
    await organizer.send("/moderate")
    await organizer.press("✅ Опубликовать")
    rep = await representative_of_minedu(telegram, organizer, 14402)
    await organizer.send("/forward 1")
    await organizer.press("Минобрнауки")
    notice = await rep.wait_for("Нужны учителя")
    await rep.press("↩️ Не в нашей компетенции", _raw(telegram, notice))
    reply = await press_prefix(telegram, rep, "stop:")
    assert "Остановлено" in texts(reply)
    await rep.send("Это не к нам")  # not a reason any more
    [proposal] = await rows(database_url, Proposal)
    assert proposal.status == "forwarded"
