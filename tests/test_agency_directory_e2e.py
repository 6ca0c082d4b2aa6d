"""Organizers keep the agency directory in the bot: add an agency (with bad input refused),
change its answer time and day count, route a topic to it, add a holiday, make and revoke an
invitation (the revoked link is refused), and retire it (no longer offered for forwarding);
remove a representative who left. A participant pressing an organizer's button changes
nothing."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from bot.keyboards.agencies import AgencyDirectoryCb
from db.models import Agency, Holiday, OutboxMessage, TopicRoute, User, utcnow
from tests.db_fixtures import session_on
from tests.e2e import person, texts
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import ADMIN_ID, RunningBot
from tests.people import Participant, add_participants
from tests.test_agency_work_e2e import publish


@dataclass(frozen=True)
class Directory:
    """What the database holds for one agency, its routes and the holidays."""

    id: int
    answer_days: int
    working_days: bool
    is_active: bool
    route_of_education: int | None
    holiday_days: list[date]


async def agency(database_url: str, code: str) -> Directory:
    async with session_on(database_url) as session:
        row = await session.scalar(select(Agency).where(Agency.code == code))
        assert row is not None
        route = await session.get(TopicRoute, "education")
        directory = Directory(
            id=row.id,
            answer_days=row.answer_days,
            working_days=row.working_days,
            is_active=row.is_active,
            route_of_education=route.agency_id if route else None,
            holiday_days=list(await session.scalars(select(Holiday.day))),
        )
    return directory


async def test_organizer_keeps_the_directory_and_a_participant_cannot(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ky", full_name="Уюштуруучу"),
        Participant(5201, "ru", full_name="Анна Петрова"),
    )
    organizer = person(telegram, ADMIN_ID, "ky", "Уюштуруучу")
    anna = person(telegram, 5201, "ru", "Анна")

    assert "Бир сап менен" in texts(await organizer.send("/addagency minjust; Юстиция"))
    reply = await organizer.send(
        "/addagency minjust; Юстиция министрлиги; Министерство юстиции; 14; working"
    )
    assert "Орган кошулду." in texts(reply) and "14 иш күнү" in texts(reply)
    reply = await organizer.send("/addagency minjust; Башка; Другое; 10; calendar")
    assert "minjust коду мурунтан эле бар." in texts(reply)
    assert "1ден 365" in texts(await organizer.send("/addagency x1; А; Б; 0; calendar"))

    await organizer.send("/agency minjust")
    await organizer.press("10")
    await organizer.press("Календардык күн менен эсептөө")
    row = await agency(database_url, "minjust")
    assert (row.answer_days, row.working_days) == (10, False)

    # A participant pressing the same buttons (an old or forged message) changes nothing.
    await anna.press_data(AgencyDirectoryCb(action="retire_yes", id=row.id).pack())
    assert (await agency(database_url, "minjust")).is_active
    alert = telegram.calls_of("answerCallbackQuery")[-1].params
    assert alert["text"] == "Эта кнопка только для организаторов." and alert["show_alert"]
    assert "только для организаторов" in texts(await anna.send("/routes"))

    # The education topic now goes to the new agency by default.
    await organizer.send("/routes")
    await organizer.press("Билим берүү жана илим")
    reply = await organizer.press("Юстиция министрлиги")
    assert "Билим берүү жана илим → Юстиция министрлиги" in texts(reply)
    assert (await agency(database_url, "minjust")).route_of_education == row.id

    # A holiday; bad dates get a short answer.
    assert "/holiday 20.03.2027" in texts(await organizer.send("/holiday 31.02.2027 Майрам"))
    # A day that is not a holiday already (30 days from today may be New Year's Day).
    known = (await agency(database_url, "minjust")).holiday_days
    day = (utcnow() + timedelta(days=30)).date()
    while day in known:
        day += timedelta(days=1)
    reply = await organizer.send(f"/holiday {day:%d.%m.%Y} Сынак күнү; Тестовый день")
    assert "эми майрам күнү" in texts(reply)
    assert day in (await agency(database_url, "minjust")).holiday_days
    assert f"{day:%d.%m.%Y} Сынак күнү" in texts(await organizer.send("/holidays"))

    # An invitation made, listed and revoked: the link no longer works.
    await organizer.send("/agency minjust")
    await organizer.press("🔗 Чакыруулар")
    link = re.search(r"start=(ag_[\w-]+)", texts(await organizer.press("➕ Жаңы шилтеме")))
    assert link is not None
    listed = await organizer.press("🔗 Чакыруулар")
    number = re.search(r"#(\d+): түзгөн: Уюштуруучу", texts(listed))
    assert number is not None
    await organizer.press(f"#{number.group(1)} жокко чыгаруу")
    reply = await anna.send(f"/start {link.group(1)}")
    assert "не работает" in texts(reply) or "иштебейт" in texts(reply)

    # Retired: kept for history, no longer offered when forwarding.
    proposal = await publish(database_url, 5201, "education", "Нужны новые учебники в школах")
    await organizer.send("/agency minjust")
    await organizer.press("Тизмеден чыгаруу")
    reply = await organizer.press("Ооба, чыгарылсын")
    assert "тизмеден чыгарылды" in texts(reply)
    assert not (await agency(database_url, "minjust")).is_active
    offered = [
        b["text"]
        for m in await organizer.send(f"/forward {proposal}")
        for row in (m.reply_markup or {}).get("inline_keyboard", [])
        for b in row
    ]
    assert offered and not any("Юстиция" in label for label in offered)


async def test_organizer_removes_a_representative_who_left(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ky", full_name="Уюштуруучу"),
        Participant(5211, "ru", full_name="Марат Исаев"),
        Participant(5212, "ky", full_name="Айжан Бекова"),
    )
    organizer = person(telegram, ADMIN_ID, "ky", "Уюштуруучу")
    marat = person(telegram, 5211, "ru", "Марат")
    link = re.search(r"start=(ag_[\w-]+)", texts(await organizer.send("/invite minedu")))
    assert link is not None
    assert "Министерство образования" in texts(await marat.send(f"/start {link.group(1)}"))

    await organizer.send("/agency minedu")
    listed = texts(await organizer.press("👥 Өкүлдөр"))
    assert "Өкүлдөр (Билим берүү жана илим министрлиги): 1" in listed
    assert "• Марат Исаев" in listed

    # Not an organizer: the same button does nothing.
    marat_row = await session_user_id(database_url, 5211)
    minedu = await agency(database_url, "minedu")
    forged = AgencyDirectoryCb(action="unrep", id=minedu.id, value=str(marat_row))
    await marat.press_data(forged.pack())
    assert telegram.calls_of("answerCallbackQuery")[-1].params["show_alert"]
    assert "Өкүлдөр (Билим берүү жана илим министрлиги): 1" in texts(
        await organizer.press("👥 Өкүлдөр")
    )

    after = texts(await organizer.press("Марат Исаев — катардан чыгаруу"))
    assert (
        "Өкүлдөр (Билим берүү жана илим министрлиги): 0" in after and "Азырынча эч ким жок" in after
    )
    await marat.wait_for(lambda m: m.visible.startswith("Организаторы исключили вас"))

    # A proposal forwarded now does not reach him.
    proposal = await publish(database_url, 5212, "education", "Мектепке компьютер класс керек")
    await organizer.send(f"/forward {proposal}")
    assert "жөнөтүлдү" in texts(await organizer.press("⭐ Билим берүү министрлиги"))
    async with session_on(database_url) as session:
        cards = await session.scalar(
            select(func.count()).where(OutboxMessage.template == "agency_item")
        )
    assert cards == 0
    assert "только для представителей органов" in texts(await marat.send("/items"))


async def session_user_id(database_url: str, telegram_id: int) -> int:
    async with session_on(database_url) as session:
        found = await session.scalar(select(User.id).where(User.telegram_id == telegram_id))
    assert found is not None
    return found
