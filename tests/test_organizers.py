"""Administrators make people organizers and revoke the role; the role is checked on the
server for the commands and for the buttons, forged ones included."""

from sqlalchemy import select

from bot.keyboards.callbacks import OrganizerCb
from db.models import User
from tests.db_fixtures import session_on
from tests.e2e import person, texts
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import ADMIN_ID, RunningBot
from tests.people import Participant, add_participants

AIBEK, OLGA = 2501, 2502


async def is_organizer(database_url: str, telegram_id: int) -> bool:
    async with session_on(database_url) as session:
        found = await session.scalar(
            select(User.is_organizer).where(User.telegram_id == telegram_id)
        )
        return bool(found)


async def organizer_row_id(database_url: str, telegram_id: int) -> int:
    async with session_on(database_url) as session:
        found = await session.scalar(select(User.id).where(User.telegram_id == telegram_id))
        assert found is not None
        return found


async def test_an_admin_makes_an_organizer_and_revokes_the_role(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Админ"),
        Participant(AIBEK, "ky", full_name="Айбек Токтосунов"),
        Participant(OLGA, "ru", full_name="Ольга Ким"),
    )
    admin = person(telegram, ADMIN_ID, "ru", "Админ")
    aibek = person(telegram, AIBEK, "ky", "Айбек")
    olga = person(telegram, OLGA, "ru", "Ольга")

    assert "Пока никого." in texts(await admin.send("/organizers"))
    assert texts(await admin.send("/addorganizer Айбек")) == (
        "Напишите так: /addorganizer 123456789"
    )
    assert "ещё никто не запускал" in texts(await admin.send("/addorganizer 777"))
    assert texts(await olga.send("/addorganizer 2501")) == "Эта команда только для администраторов."
    assert texts(await aibek.send("/organizers")) == "Бул буйрук администраторлор үчүн гана."
    assert texts(await aibek.send("/announce")) == "Бул буйрук уюштуруучулар үчүн гана."
    assert not await is_organizer(database_url, AIBEK)

    reply = await admin.send(f"/addorganizer {AIBEK}")
    assert texts(reply) == "Айбек Токтосунов теперь организатор."
    assert await is_organizer(database_url, AIBEK)
    prompt = texts(await aibek.send("/announce"))
    assert prompt != "Бул буйрук уюштуруучулар үчүн гана." and "/cancel" in prompt
    await aibek.send("/cancel")

    # A forged revoke button from someone who is not an admin changes nothing.
    forged = OrganizerCb(action="revoke", user_id=await organizer_row_id(database_url, AIBEK))
    await olga.press_data(forged.pack())
    await aibek.press_data(forged.pack())
    assert await is_organizer(database_url, AIBEK)

    listing = await admin.send("/organizers")
    assert "Айбек Токтосунов — 2501" in texts(listing)
    await admin.press("Снять роль: Айбек Токтосунов")
    answers = telegram.calls_of("answerCallbackQuery")
    assert answers[-1].params.get("text") == "Айбек Токтосунов больше не организатор."
    assert not await is_organizer(database_url, AIBEK)
    assert texts(await aibek.send("/announce")) == "Бул буйрук уюштуруучулар үчүн гана."
