"""Each role has its home in the bot: its command menu and /help list exactly the commands it
can use, in both languages, and change the moment the role is granted or taken away."""

import re

import pytest

from bot.commands import COMMANDS, HELP_ONLY
from bot.services.roles import ADMIN, ORGANIZER, PARTICIPANT, REPRESENTATIVE
from tests.e2e import person, texts
from tests.fake_bot_api import FakeTelegramServer, Person
from tests.harness import ADMIN_ID, RunningBot
from tests.people import Participant, add_participants

AIBEK, OLGA = 2601, 2602


def expected(*roles: str) -> set[str]:
    return {name for role in (PARTICIPANT, *roles) for name, _msgid in COMMANDS[role]}


def chat_menu(telegram: FakeTelegramServer, chat_id: int) -> dict[str, str]:
    menu = telegram.commands_for({"type": "chat", "chat_id": chat_id})
    return {c["command"]: c["description"] for c in menu}


async def help_commands(someone: Person) -> set[str]:
    """The commands /help names, as /name at the start of a line (/p12 is help only)."""
    found = set(re.findall(r"^/(\w+):", texts(await someone.send("/help")), re.MULTILINE))
    return found - {name for entries in HELP_ONLY.values() for name, _msgid in entries}


def test_each_role_adds_commands_the_others_do_not_repeat() -> None:
    for role in (REPRESENTATIVE, ORGANIZER, ADMIN):
        assert not {n for n, _m in COMMANDS[role]} & expected(), role
    assert {"moderate", "announce", "agencies", "stats", "cancel"} <= expected(ORGANIZER)
    assert "items" in expected(REPRESENTATIVE) and "items" not in expected(ORGANIZER)
    assert {"organizers", "addorganizer"} == expected(ADMIN) - expected()


@pytest.mark.parametrize("language", ["ky", "ru"])
async def test_participant_menu_and_help(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str, language: str
) -> None:
    await add_participants(database_url, Participant(OLGA, language, full_name="Ольга Ким"))
    olga = person(telegram, OLGA, language, "Ольга")
    default = {c["command"] for c in telegram.commands_for(None, language)}
    assert default == expected()
    assert await help_commands(olga) == expected()
    assert "/p12" in texts(await olga.send("/help"))
    # Nobody gave her a role: no menu of her own, the default one in her language applies.
    assert chat_menu(telegram, OLGA) == {}
    refusal = texts(await olga.send("/home"))
    assert "/help" in refusal


@pytest.mark.parametrize("language", ["ky", "ru"])
async def test_an_organizer_gets_the_menu_when_granted_and_loses_it_when_revoked(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str, language: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Админ"),
        Participant(AIBEK, language, full_name="Айбек Токтосунов"),
    )
    admin = person(telegram, ADMIN_ID, "ru", "Админ")
    aibek = person(telegram, AIBEK, language, "Айбек")
    assert await help_commands(aibek) == expected()

    await admin.send(f"/addorganizer {AIBEK}")
    menu = chat_menu(telegram, AIBEK)
    assert set(menu) == expected(ORGANIZER)
    moderate = {"ky": "Сунуштарды модерациялоо", "ru": "Модерация предложений"}[language]
    assert menu["moderate"] == moderate
    assert await help_commands(aibek) == expected(ORGANIZER)
    assert moderate in texts(await aibek.send("/help"))

    await admin.send("/organizers")
    await admin.press("Снять роль: Айбек Токтосунов")
    assert set(chat_menu(telegram, AIBEK)) == expected()
    assert await help_commands(aibek) == expected()


@pytest.mark.parametrize("language", ["ky", "ru"])
async def test_an_administrator_has_every_staff_command(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str, language: str
) -> None:
    await add_participants(database_url, Participant(ADMIN_ID, language, full_name="Админ"))
    admin = person(telegram, ADMIN_ID, language, "Админ")
    await admin.send("/start")
    assert set(chat_menu(telegram, ADMIN_ID)) == expected(ORGANIZER, ADMIN)
    assert await help_commands(admin) == expected(ORGANIZER, ADMIN)


@pytest.mark.parametrize("language", ["ky", "ru"])
async def test_a_representative_gets_the_menu_when_bound_and_loses_it_when_removed(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str, language: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Организатор"),
        Participant(OLGA, language, full_name="Ольга Ким"),
    )
    organizer = person(telegram, ADMIN_ID, "ru", "Организатор")
    olga = person(telegram, OLGA, language, "Ольга")
    token = re.search(r"start=ag_([\w-]+)", texts(await organizer.send("/invite minedu")))
    assert token is not None
    await olga.send(f"/start ag_{token.group(1)}")
    menu = chat_menu(telegram, OLGA)
    assert set(menu) == expected(REPRESENTATIVE)
    assert await help_commands(olga) == expected(REPRESENTATIVE)
    home = await olga.send("/home")
    assert {"ky": "Сиздин органыңызга келген сунуштар", "ru": "Предложения вашему органу"}[
        language
    ] in texts(home)
    items = await olga.press({"ky": "📨 Сунуштар", "ru": "📨 Входящие"}[language])
    assert {"ky": "Органыңызда жооп күтүп турган сунуш жок.", "ru": "У вашего органа нет"}[
        language
    ] in texts(items)

    await organizer.send("/agency minedu")
    await organizer.press("👥 Представители")
    await organizer.press("Исключить: Ольга Ким")
    assert set(chat_menu(telegram, OLGA)) == expected()
    assert await help_commands(olga) == expected()


async def test_a_role_is_granted_even_when_telegram_refuses_the_menu(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Админ"),
        Participant(AIBEK, "ky", full_name="Айбек Токтосунов"),
    )
    admin = person(telegram, ADMIN_ID, "ru", "Админ")
    aibek = person(telegram, AIBEK, "ky", "Айбек")

    # 429: the menu is set after the wait Telegram asks for.
    telegram.fail_next("setMyCommands", status=429, retry_after=1, chat_id=AIBEK)
    assert "теперь организатор" in texts(await admin.send(f"/addorganizer {AIBEK}"))
    assert set(chat_menu(telegram, AIBEK)) == expected(ORGANIZER)

    # 403 and a server error: the role changes all the same; the menu follows next time.
    await admin.send("/organizers")
    telegram.fail_next("setMyCommands", status=403, description="Forbidden: bot was blocked")
    await admin.press("Снять роль: Айбек Токтосунов")
    assert "больше не организатор" in telegram.calls_of("answerCallbackQuery")[-1].params["text"]
    assert await help_commands(aibek) == expected()
    assert set(chat_menu(telegram, AIBEK)) == expected(ORGANIZER), "Telegram refused it"
    telegram.fail_next("setMyCommands", status=502, retry_after=None, description="Bad Gateway")
    assert "теперь организатор" in texts(await admin.send(f"/addorganizer {AIBEK}"))
    assert await help_commands(aibek) == expected(ORGANIZER)
    await admin.send("/organizers")
    await admin.press("Снять роль: Айбек Токтосунов")
    assert set(chat_menu(telegram, AIBEK)) == expected()


async def test_a_participant_has_a_menu_of_her_own_only_in_another_language_than_her_app(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(database_url, Participant(OLGA, "ru", full_name="Ольга Ким"))
    olga = person(telegram, OLGA, "ru", "Ольга")  # her Telegram app is in Russian
    await olga.send("/language")
    await olga.press("Кыргызча")
    menu = chat_menu(telegram, OLGA)
    assert set(menu) == expected() and menu["profile"] == "Менин профилим"
    await olga.send("/language")
    await olga.press("Русский")
    assert chat_menu(telegram, OLGA) == {}, "the default Russian menu serves her again"
