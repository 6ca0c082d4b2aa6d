"""Home screens: an organizer sees what waits for them and reaches every journey from there in
two taps; a representative sees their open, due and overdue items; a participant is told
where to look instead."""

from sqlalchemy import select

from bot.services import proposals
from bot.services.proposals import ProposalDraft
from db.models import User
from tests.db_fixtures import session_on
from tests.e2e import inline_labels, menu_of, person, texts
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import ADMIN_ID, RunningBot
from tests.people import Participant, add_participants

AUTHOR = 2701


async def submit(database_url: str, text: str) -> None:
    async with session_on(database_url) as session:
        author = await session.scalar(select(User).where(User.telegram_id == AUTHOR))
        assert author is not None
        await proposals.submit(
            session, author, ProposalDraft("education", "batken", text), daily_limit=10
        )
        await session.commit()


async def test_an_organizer_reaches_every_journey_from_the_home_screen(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ky", full_name="Уюштуруучу"),
        Participant(AUTHOR, "ky", full_name="Гүлнара Осмонова"),
    )
    await submit(database_url, "Баткендеги мектептерге мугалим керек")
    await submit(database_url, "Айылдарга китепкана ачуу керек")
    organizer = person(telegram, ADMIN_ID, "ky", "Уюштуруучу")
    await organizer.send("/start")
    assert "🏠 Уюштуруучу" in menu_of(organizer)

    home = await organizer.send("🏠 Уюштуруучу")
    assert "Модерацияны күткөн сунуштар: 2" in texts(home)
    labels = inline_labels(home[-1])
    assert "🛡 Модерация (2)" in labels
    assert all(len(label) <= 20 for label in labels), labels
    screen = next(
        m for m in telegram.current_messages(ADMIN_ID) if m["message_id"] == home[-1].message_id
    )

    steps = {
        "🗓 Иш-чаралар": "Уюштуруучу",
        "🛡 Модерация (2)": "Модерацияны күтүүдө",
        "🏛 Органдар": "Органдар: жөнөтүлдү",
        "📄 Жыйынтыктар": "жыйынтык",
        "📥 Жүктөп алуу": "Бардык сунуштарды",
    }
    for label, seen in steps.items():
        reply = await organizer.press(label, screen)
        assert seen.lower() in texts(reply).lower(), (label, texts(reply))
    reply = await organizer.press("📣 Кулактандыруу", screen)
    assert "/cancel" in texts(reply)
    await organizer.send("/cancel")
    reply = await organizer.press("📊 Статистика", screen)
    assert any(m.method == "sendPhoto" for m in reply)

    # A participant pressing a forged organizer button changes nothing and is told why.
    author = person(telegram, AUTHOR, "ky", "Гүлнара")
    assert "/help" in texts(await author.send("/home"))
    await author.press_data("home:moderate")
    answer = telegram.calls_of("answerCallbackQuery")[-1].params
    assert answer.get("show_alert") and "/help" in answer.get("text", "")
