"""Agencies at work, through the bot: an organizer invites a representative and forwards a
proposal; the representative sees it with its due date and answers; the author is told.
Another item goes back as "not our competence"."""

import re

from sqlalchemy import select

from bot.services import proposals
from bot.services.proposals import ProposalDraft
from db.models import OutboxMessage, Proposal, User
from tests.db_fixtures import session_on
from tests.e2e import person, texts
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import ADMIN_ID, RunningBot
from tests.people import Participant, add_participants


async def publish(database_url: str, author_telegram_id: int, topic: str, text: str) -> int:
    async with session_on(database_url) as session:
        author = await session.scalar(select(User).where(User.telegram_id == author_telegram_id))
        admin = await session.scalar(select(User).where(User.telegram_id == ADMIN_ID))
        proposal = await proposals.submit(
            session,
            author,
            ProposalDraft(topic, "batken", text),
            daily_limit=10,  # type: ignore[arg-type]
        )
        await proposals.approve(session, proposal, admin)  # type: ignore[arg-type]
        await session.commit()
        return proposal.id


async def test_invite_forward_answer_and_return(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Организатор"),
        Participant(5001, "ky", "batken", full_name="Гүлнара Осмонова"),
        Participant(5002, "ky", "bishkek", full_name="Эркин Алиев"),
    )
    school = await publish(database_url, 5001, "education", "Баткендеги мектептерге мугалим керек")
    roads = await publish(database_url, 5001, "border", "Чек ара айылдарына жол оңдоо керек")
    organizer = person(telegram, ADMIN_ID, "ru", "Организатор")
    assert "<code>minedu</code>" in (await organizer.send("/agencies"))[-1].text  # type: ignore[operator]

    reply = await organizer.send("/invite minedu")
    token = re.search(r"start=ag_([\w-]+)", texts(reply))
    assert token is not None
    erkin = person(telegram, 5002, "ky", "Эркин")
    await erkin.send(f"/start ag_{token.group(1)}")

    reply = await organizer.send(f"/forward {school}")
    assert "⭐ Минобрнауки" in [
        b["text"]
        for m in reply
        for row in (m.reply_markup or {}).get("inline_keyboard", [])
        for b in row
    ]
    reply = await organizer.press("⭐ Минобрнауки")
    assert f"Предложение #{school} направлено; срок ответа:" in texts(reply)

    reply = await erkin.send("/items")
    assert "Баткендеги мектептерге мугалим керек" in texts(reply)
    assert "Жооп берүү мөөнөтү" in texts(reply) or "⏳" in texts(reply)
    await erkin.press("✍️ Жооп берүү")
    await erkin.press("Кабыл алынды")
    reply = await erkin.send("Министрлик 2027-жылы Баткенге 40 мугалим жиберет.")
    assert "«Документсиз»" in texts(reply)
    reply = await erkin.press("Документсиз")
    assert "жооп авторго жана колдогондорго жөнөтүлдү" in texts(reply)

    async with session_on(database_url) as session:
        answered = await session.get(Proposal, school)
        assert answered is not None and answered.status == "accepted"
        told = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.template == "agency_answer")
        )
        assert told is not None

    # The second goes to the same agency by hand and comes back: not their competence.
    await organizer.send(f"/forward {roads}")
    await organizer.press("Минобрнауки")
    await erkin.send("/items")
    await erkin.press("↩️ Биздин ыйгарым укукка кирбейт")
    reply = await erkin.send("Жолдор Транспорт министрлигине тиешелүү.")
    assert "уюштуруучуларга кайтарылды" in texts(reply)
    async with session_on(database_url) as session:
        returned = await session.get(Proposal, roads)
        assert returned is not None and returned.status == "returned"
    reply = await organizer.send(f"/forward {roads}")
    assert "в какой орган?" in texts(reply)  # it can be forwarded again

    stranger = person(telegram, 5001, "ky", "Гүлнара")
    assert "Бул буйрук уюштуруучулар үчүн гана." in texts(await stranger.send("/invite minedu"))
