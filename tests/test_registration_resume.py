"""People half-way through registration go on: after a restart, and when the conversation was
saved by the previous version of the bot (the answer steps before they became a step table,
handlers/registration.py at main), whose state strings and data keys must mean the same step."""

from typing import Any

from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import select

from db.models import User
from tests.db_fixtures import session_on
from tests.e2e import inline_labels, person, texts
from tests.fake_bot_api import FakeTelegramServer, Person
from tests.harness import RunningBot


async def load_user(database_url: str, telegram_id: int) -> User | None:
    async with session_on(database_url) as session:
        return await session.scalar(select(User).where(User.telegram_id == telegram_id))


PROFILE = ("full_name", "region_code", "country_code", "country_other", "category_code")
PROFILE += ("gender", "organisation", "phone")


async def answers(database_url: str, telegram_id: int) -> dict[str, str]:
    """The profile fields a finished registration filled in the user row (the others empty)."""
    user = await load_user(database_url, telegram_id)
    assert user is not None and user.registered_at is not None
    return {name: getattr(user, name) for name in PROFILE if getattr(user, name) is not None}


async def agree(telegram: FakeTelegramServer, user_id: int, name: str) -> Person:
    someone = person(telegram, user_id, "ru", name)
    await someone.send("/start")
    await someone.press("Русский")
    reply = await someone.press("Даю согласие")
    assert "Как вас зовут полностью?" in texts(reply)
    return someone


async def saved_by_the_previous_version(
    running_bot: RunningBot, user_id: int, state: str, data: dict[str, Any]
) -> None:
    """Writes a conversation as the previous version did: `state.set_state(step)`, then
    `state.set_data(...)`, through the FSM storage. The one place a test seeds the storage:
    the old code is not here to write it."""
    assert running_bot.app is not None
    key = StorageKey(bot_id=running_bot.app.bot.id, chat_id=user_id, user_id=user_id)
    await running_bot.app.dp.fsm.storage.set_state(key, state)
    await running_bot.app.dp.fsm.storage.set_data(key, data)


async def test_a_person_abroad_goes_on_after_a_restart(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    azamat = await agree(telegram, 1301, "Азамат")
    reply = await azamat.send("Азамат Токтогулов")
    assert "Где вы живёте?" in texts(reply)
    reply = await azamat.press("За рубежом (соотечественники)")
    assert "В какой стране вы живёте?" in texts(reply)

    await running_bot.restart()

    reply = await azamat.send("/start")
    assert "Продолжим с того места, где вы остановились." in texts(reply)
    assert "В какой стране вы живёте?" in texts(reply)
    assert "Казахстан" in inline_labels(reply[-1])
    reply = await azamat.press("Казахстан")
    assert "Кого вы представляете?" in texts(reply)
    reply = await azamat.press("Студент")
    reply = await azamat.press("Мужчина")
    assert "Название вашей организации" in texts(reply)
    reply = await azamat.send("Жаштар кеңеши")
    reply = await azamat.share_contact("+77011234567", own=True)
    assert "Вы зарегистрированы" in texts(reply)

    assert await answers(database_url, 1301) == {
        "full_name": "Азамат Токтогулов",
        "region_code": "abroad",
        "country_code": "KZ",
        "category_code": "student",
        "gender": "male",
        "organisation": "Жаштар кеңеши",
        "phone": "+77011234567",
    }


async def test_a_conversation_saved_by_the_previous_version_goes_on(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    gulnara = await agree(telegram, 1302, "Гульнара")
    # The previous version, after the name, «abroad» (which it kept at once) and «another
    # country»: `_store(state, {"region_code": "abroad"})`, then `_go(conv,
    # Registration.country_other)`.
    await saved_by_the_previous_version(
        running_bot,
        1302,
        "Registration:country_other",
        {
            "mode": "register",
            "profile": {"full_name": "Гульнара Абдыкадырова", "region_code": "abroad"},
        },
    )

    reply = await gulnara.send("/profile")
    assert "Сначала завершите текущий шаг." in texts(reply)
    assert "Напишите название страны." in texts(reply)
    reply = await gulnara.send("Финляндия")
    assert "Кого вы представляете?" in texts(reply)
    await gulnara.press("Соотечественник за рубежом")
    reply = await gulnara.press("Не указывать")
    assert "Название вашей организации" in texts(reply)
    reply = await gulnara.press("Пропустить")
    assert "Номер телефона поможет" in texts(reply)
    reply = await gulnara.tap("Пропустить")
    assert "Вы зарегистрированы" in texts(reply)

    assert await answers(database_url, 1302) == {
        "full_name": "Гульнара Абдыкадырова",
        "region_code": "abroad",
        "country_other": "Финляндия",
        "category_code": "diaspora",
    }


async def test_an_edit_saved_by_the_previous_version_goes_on(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    bakyt = await agree(telegram, 1303, "Бакыт")
    await bakyt.send("Бакыт Осмонов")
    await bakyt.press("Чуйская область")
    await bakyt.press("Студент")
    await bakyt.press("Мужчина")
    await bakyt.press("Пропустить")
    reply = await bakyt.tap("Пропустить")
    assert "Вы зарегистрированы" in texts(reply)
    # The previous version's `begin_edit(conv, "organisation")` from the profile card.
    await saved_by_the_previous_version(
        running_bot,
        1303,
        "Registration:organisation",
        {"mode": "edit", "field": "organisation", "profile": {}},
    )

    reply = await bakyt.send("Союз молодёжи")
    assert "Сохранено." in texts(reply)
    assert "Организация: Союз молодёжи" in texts(reply)
    user = await load_user(database_url, 1303)
    assert user is not None and user.organisation == "Союз молодёжи"
    assert (user.full_name, user.region_code) == ("Бакыт Осмонов", "chuy")
