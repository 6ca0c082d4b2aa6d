"""Proposals played by people in Kyrgyz and Russian: submit with the similar-proposal hint,
moderation, support, search with Kyrgyz letters, withdraw, merge, HTML-hostile text."""

from sqlalchemy import select

from db.models import OutboxMessage, Proposal, User
from tests.db_fixtures import session_on
from tests.e2e import inline_labels, person, texts
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import ADMIN_ID, RunningBot
from tests.people import Participant, add_participants

APRICOTS = (
    "Өрүк бактарын суу менен камсыз кылуу үчүн Баткен облусунда тамчылатып сугаруу "
    "системасын куруу жана дыйкандарга жеңилдетилген насыя берүү"
)


async def rows(database_url: str, model, *where):  # type: ignore[no-untyped-def]
    async with session_on(database_url) as session:
        return list(await session.scalars(select(model).where(*where)))


async def submit(someone, topic: str, region: str, text: str, anonymous: str) -> list:  # type: ignore[no-untyped-def]
    await someone.send("/propose")
    await someone.press(topic)
    await someone.press(region)
    await someone.send(text)
    skip = "Өткөрүп жиберүү" if someone.user["language_code"] == "ky" else "Пропустить"
    await someone.press(skip)
    return await someone.press(anonymous)


async def test_submit_moderate_support_search_and_the_similar_hint(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Модератор"),
        Participant(3001, "ky", "batken", full_name="Гүлнара Осмонова"),
        Participant(3002, "ru", "osh", full_name="Азамат Токтогулов"),
    )
    gulnara = person(telegram, 3001, "ky", "Гүлнара")
    reply = await gulnara.send("/propose")
    assert "Сунушуңуз эмне жөнүндө?" in texts(reply)
    await gulnara.press("Суу жана сугат")
    reply = await gulnara.press("Баткен облусу")
    assert "20–4000 белги" in texts(reply)
    reply = await gulnara.send("Суу керек")
    assert texts(reply) == "Өтө кыска: 9 белги. Жок дегенде 20 белги жазыңыз."
    reply = await gulnara.send(APRICOTS)
    assert "Сүрөт же документ" in texts(reply)
    await gulnara.press("Өткөрүп жиберүү")
    reply = await gulnara.press("Атым менен")
    assert APRICOTS in texts(reply) and "Жөнөтөлүбү?" in texts(reply)
    reply = await gulnara.press("Жөнөтүү")
    assert "#1 сунушу жөнөтүлдү жана модерацияны күтүүдө" in texts(reply)

    moderator = person(telegram, ADMIN_ID, "ru", "Модератор")
    reply = await moderator.send("/moderate")
    assert "Ждут модерации</b>" not in texts(reply) and "Ждут модерации: 1" in texts(reply)
    assert "Автор: Гүлнара Осмонова" in texts(reply)
    reply = await moderator.press("✅ Опубликовать")
    assert "Предложение #1 опубликовано." in texts(reply)
    notice = await gulnara.wait_for("абалы өзгөрдү")
    assert notice.visible.startswith("#1 сунушуңуздун абалы өзгөрдү: Жарыяланды.")

    # Azamat writes something close: the bot shows #1 and he supports it instead.
    azamat = person(telegram, 3002, "ru", "Азамат")
    reply = await submit(
        azamat,
        "Вода и ирригация",
        "Баткенская область",
        "Өрүк бактарын сугаруу үчүн тамчылатып сугаруу системасын куруу керек, Баткен",
        "Анонимно",
    )
    assert "Похожие предложения уже опубликованы" in texts(reply)
    assert "👍 Поддержать #1 вместо своего" in [b for m in reply for b in inline_labels(m)]
    reply = await azamat.press("👍 Поддержать #1 вместо своего")
    assert "Теперь вы поддерживаете предложение #1 (всего 1)" in texts(reply)
    assert len(await rows(database_url, Proposal)) == 1

    # Search folds every Cyrillic letter, Kyrgyz ones included, and finds suffixed forms.
    for query in ("/search өрүк", "/search ӨРҮК", "/search баткен", "/search сугар"):
        reply = await azamat.send(query)
        assert "Найдено: 1" in texts(reply), query
    reply = await azamat.send("/search Йошкар-Ола")
    assert texts(reply).startswith("Ничего не найдено. Попробуйте другие слова")

    reply = await azamat.send("/p1")
    assert "Поддержали: 1" in texts(reply)
    reply = await azamat.press("👍 Отозвать поддержку")
    assert telegram.calls_of("answerCallbackQuery")[-1].params["text"] == (
        "Ваша поддержка отозвана (0)."
    )

    # Someone who never wrote to the bot follows the public site's "Support it in Telegram".
    nurlan = person(telegram, 3003, "ky", "Нурлан")
    reply = await nurlan.send("/start p_1")
    assert APRICOTS in texts(reply)
    await nurlan.press("👍 Колдоо")
    assert telegram.calls_of("answerCallbackQuery")[-1].params["text"] == (
        "Сиз бул сунушту колдодуңуз (1)."
    )
    (proposal,) = await rows(database_url, Proposal)
    assert proposal.support_count == 1
    (visitor,) = await rows(database_url, User, User.telegram_id == 3003)
    assert visitor.language == "ky"
    reply = await nurlan.send("/start p_99")
    assert texts(reply).startswith("Мындай сунуш жок.")


async def test_rejection_withdrawal_merge_and_hostile_text(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ky", full_name="Модератор"),
        Participant(3101, "ru", "chuy", full_name="Ольга Ким"),
        Participant(3102, "ky", "naryn", full_name="Бакыт Асанов"),
    )
    olga = person(telegram, 3101, "ru", "Ольга")
    hostile = "Условие: a < b & c, а тег <b>жирный</b> должен остаться текстом. " + "Абзац.\n\n" * 3
    long_text = hostile + ("Длинное обоснование. " * 200)[: 4000 - len(hostile)]
    await submit(olga, "Другое", "Чуйская область", long_text, "Под моим именем")
    reply = await olga.press("Отправить")
    assert "Предложение #1 отправлено" in texts(reply)
    moderator = person(telegram, ADMIN_ID, "ky", "Модератор")
    reply = await moderator.send("/moderate")
    shown = texts(reply)
    assert "Условие: a < b & c, а тег <b>жирный</b> должен остаться текстом." in shown
    await moderator.press("❌ Четке кагуу")
    reply = await moderator.send("Бул сунуш иш-чаранын темасына тиешелүү эмес")
    assert "#1 сунушу четке кагылды" in texts(reply)
    notice = await olga.wait_for("новый статус")
    assert "Отклонено" in notice.visible
    assert "Причина: Бул сунуш иш-чаранын темасына тиешелүү эмес" in notice.visible

    # A second proposal, published, then withdrawn by its author.
    await submit(
        olga, "Туризм", "Иссык-Кульская область", "Туристтик жолдорду белгилөө " * 3, "Анонимно"
    )
    await olga.press("Отправить")
    await moderator.send("/moderate")
    await moderator.press("✅ Жарыялоо")
    reply = await olga.send("/p2")
    assert "Отозвать" in [b for m in reply for b in inline_labels(m)]
    reply = await olga.press("Отозвать")
    assert "Предложение #2 отозвано." in texts(reply)

    # Merge: Bakyt's duplicate goes into Olga's third proposal; Bakyt is told where.
    await submit(
        olga,
        "Туризм",
        "Нарынская область",
        "Нарындагы туристтик маршруттарды белгилөө " * 2,
        "Под моим именем",
    )
    await olga.press("Отправить")
    bakyt = person(telegram, 3102, "ky", "Бакыт")
    await submit(
        bakyt,
        "Туризм",
        "Нарын облусу",
        "Нарын облусунда туризм маршруттарына белги коюу " * 2,
        "Атым менен",
    )
    await bakyt.press("Жөнөтүү")
    await moderator.send("/moderate")
    await moderator.press("✅ Жогорудагы 2 сунуштун баарын жарыялоо")
    reply = await moderator.send("/merge 4 3")
    assert "#4 сунушу #3 сунушуна кошулду; эми аны 1 адам колдойт." in texts(reply)
    told = await bakyt.wait_for("бириктирилди")
    assert "#4 сунушу #3 сунушун кайталагандыктан" in told.visible
    merged = await rows(database_url, Proposal, Proposal.id == 4)
    assert merged[0].merged_into_id == 3
    notices = await rows(database_url, OutboxMessage, OutboxMessage.template == "proposal_merged")
    assert len(notices) == 1


async def test_browse_by_region_and_topic_sorted_and_paged(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    from bot.services import proposals
    from bot.services.proposals import ProposalDraft
    from db.models import User

    await add_participants(
        database_url,
        *(Participant(3200 + i, "ky", "osh", full_name="Катышуучу") for i in range(8)),
    )
    async with session_on(database_url) as session:
        authors = list(await session.scalars(select(User).order_by(User.id)))
        for i, author in enumerate(authors[:7]):
            region = "batken" if i < 6 else "naryn"
            draft = ProposalDraft(
                "education", region, f"Мектепке компьютер керек, сунуш номер {i + 1}"
            )
            proposal = await proposals.submit(session, author, draft, daily_limit=10)
            await proposals.approve(session, proposal, authors[7])
            proposal.support_count = i  # the seventh is the most supported
        await session.commit()

    reader = person(telegram, 3207, "ky", "Окурман")
    reply = await reader.send("/proposals")
    assert "Жарыяланган сунуштар: 7" in texts(reply)
    await reader.press("Аймак")
    reply = await reader.press("Баткен облусу")
    shown = texts(reply)
    assert "Жарыяланган сунуштар: 6" in shown
    assert "сунуш номер 6" in shown and "сунуш номер 1" not in shown  # newest five first
    reply = await reader.press("Кийинки ▶")
    assert "сунуш номер 1" in texts(reply)
    await reader.press("◀ Мурунку")
    reply = await reader.press("Иреттөө: эң көп колдоо тапкандар")
    first = texts(reply).split("#")[1]
    assert first.startswith("6") and "сунуш номер 6" in first  # six supporters, Batken only
