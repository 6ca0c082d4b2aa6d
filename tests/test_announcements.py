"""Organizer announcements through the outbox: both languages to a filtered audience, 429,
a blocked recipient, stopping, a restart halfway, and refusals."""

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import func, select

from bot.services import broadcasts
from db.models import Broadcast, OutboxMessage, User, utcnow
from tests.db_fixtures import session_on
from tests.e2e import person, texts, wait_until
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import ADMIN_ID, RunningBot, make_settings
from tests.people import Participant, add_participants


async def outbox_counts(database_url: str) -> dict[str, int]:
    async with session_on(database_url) as session:
        query = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        return {status: count for status, count in (await session.execute(query)).all()}


async def compose(organizer, text_ky: str | None, text_ru: str | None) -> None:  # type: ignore[no-untyped-def]
    skip = "Өткөрүп жиберүү" if organizer.user["language_code"] == "ky" else "Пропустить"
    await organizer.send("/announce")
    for text in (text_ky, text_ru):
        if text:
            await organizer.send(text)
        else:
            await organizer.press(skip)
    await organizer.press(skip)  # no attachment


async def test_announcement_reaches_a_region_in_each_language(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Админ"),
        Participant(2001, "ky", "batken"),
        Participant(2002, "ru", "batken"),
        Participant(2003, "ky", "chuy"),
    )
    telegram.add_users([2001, 2002, 2003])
    organizer = person(telegram, ADMIN_ID, "ru", "Админ")
    await compose(organizer, "Баткенде жолугушуу 8-июлда <саат 10:00>", "Встреча в Баткене 8 июля")
    reply = await organizer.press("По региону")
    reply = await organizer.press("Баткенская область")
    shown = texts(reply)
    assert "Вот что увидят получатели:" in shown
    assert "Встреча в Баткене 8 июля" in shown
    assert "Получателей объявления: 2. Отправить?" in shown
    await organizer.press("Отправить")

    ky = await person(telegram, 2001).wait_for("Баткенде жолугушуу")
    assert ky.visible == "Баткенде жолугушуу 8-июлда <саат 10:00>"
    ru = await person(telegram, 2002).wait_for("Встреча в Баткене")
    assert ru.visible == "Встреча в Баткене 8 июля"
    report = await organizer.wait_for(lambda m: "Объявление: отчёт" in m.visible, timeout=15)
    assert "Доставлено: 2" in report.visible
    assert telegram.messages_to(2003) == []


async def test_429_is_retried_and_a_blocked_person_is_marked_unreachable(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Админ"),
        *(Participant(2100 + i, "ky") for i in range(5)),
    )
    telegram.add_users(range(2100, 2105))
    telegram.block(2102)
    organizer = person(telegram, ADMIN_ID, "ru", "Админ")
    await compose(organizer, "Форум эртең башталат", None)
    await organizer.press("Все зарегистрированные")
    telegram.fail_next("sendMessage", status=429, retry_after=1, chat_id=2100)
    await organizer.press("Отправить")

    report = await organizer.wait_for(lambda m: "Объявление: отчёт" in m.visible, timeout=20)
    # Everyone registered: the five and the organizer, less the one who blocked the bot.
    assert "Доставлено: 5" in report.visible and "Заблокировали бота: 1" in report.visible
    assert telegram.rejected_429 == 1
    for chat in (2100, 2101, 2103, 2104):
        assert [m.visible for m in telegram.messages_to(chat)] == ["Форум эртең башталат"]
    async with session_on(database_url) as session:
        blocked = await session.scalar(select(User).where(User.telegram_id == 2102))
        assert blocked is not None and blocked.is_reachable is False

    # Writing to the bot again makes them reachable.
    telegram.unblock(2102)
    await person(telegram, 2102).send("/help")
    async with session_on(database_url) as session:
        back = await session.scalar(select(User).where(User.telegram_id == 2102))
        assert back is not None and back.is_reachable is True


def got(telegram: FakeTelegramServer, chats: Iterable[int], text: str) -> int:
    """How many messages with exactly this text these chats received."""
    messages = (m for chat in chats for m in telegram.messages_to(chat) if not m.edited)
    return sum(1 for m in messages if m.visible == text)


async def test_stopping_an_announcement_sends_nothing_more(
    database_url: str, telegram: FakeTelegramServer
) -> None:
    slow = RunningBot(make_settings(database_url, telegram.base_url, outbox_rate_per_second=2))
    await slow.start()
    try:
        await add_participants(
            database_url,
            Participant(ADMIN_ID, "ky", full_name="Админ"),
            *(Participant(2200 + i, "ru") for i in range(20)),
        )
        people = range(2200, 2220)
        telegram.add_users(people)
        organizer = person(telegram, ADMIN_ID, "ky", "Админ")
        text = "Площадка переносится"
        await compose(organizer, None, text)
        await organizer.press("Катталгандардын баары")
        # The organizer reads the preview with the text too: only what comes after counts.
        # Read before Send: the organizer's own copy may go out before the press returns.
        before = got(telegram, [ADMIN_ID], text)
        await organizer.press("Жөнөтүү")

        async def some_went_out() -> bool:
            return got(telegram, people, text) >= 2

        await wait_until(some_went_out)
        # Stop, pressed on the progress message the bot keeps up to date.
        await organizer.press("⏹ Жөнөтүүнү токтотуу")
        [answer] = [c.params.get("text") for c in telegram.calls_of("answerCallbackQuery")[-1:]]
        assert answer is not None and answer.startswith("Токтотулду: ")
        held_back = int(answer.split()[1])
        at_stop = got(telegram, [ADMIN_ID, *people], text) - before

        report = await organizer.wait_for(
            lambda m: "Кулактандыруу: жыйынтык отчёт" in m.visible, timeout=30
        )

        async def settled() -> bool:
            counts = await outbox_counts(database_url)
            return not {"pending", "sending", "inflight"} & set(counts)

        await wait_until(settled)
        delivered = got(telegram, [ADMIN_ID, *people], text) - before
        # At most the one message already in flight went out after the press.
        assert at_stop <= delivered <= at_stop + 1
        # The alert's figure is the report's, and the report adds up to everyone (21).
        assert 0 < held_back < 21 and delivered + held_back == 21
        assert f"Жеткирилди: {delivered}" in report.visible
        assert f"Жөнөтүлбөй калды (токтотулду): {held_back}" in report.visible
        assert await outbox_counts(database_url) == {"sent": delivered, "dropped": held_back}
    finally:
        await slow.stop()


async def test_a_restart_halfway_loses_nothing_and_sends_nothing_twice(
    database_url: str, telegram: FakeTelegramServer
) -> None:
    settings = make_settings(database_url, telegram.base_url, outbox_rate_per_second=10)
    bot = RunningBot(settings)
    await bot.start()
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Админ"),
        *(Participant(2300 + i, "ky" if i % 2 else "ru") for i in range(30)),
    )
    telegram.add_users(range(2300, 2330))
    organizer = person(telegram, ADMIN_ID, "ru", "Админ")
    await compose(organizer, "Жыйынтык документ жарыяланды", "Итоговый документ опубликован")
    await organizer.press("Все зарегистрированные")
    await organizer.press("Отправить")

    async def some_sent() -> bool:
        return (await outbox_counts(database_url)).get("sent", 0) >= 3

    await wait_until(some_sent)
    await bot.restart()
    try:

        async def all_sent() -> bool:
            # The thirty and the organizer.
            return (await outbox_counts(database_url)).get("sent", 0) == 31

        await wait_until(all_sent, timeout=30)
        for i in range(30):
            expected = "Жыйынтык документ жарыяланды" if i % 2 else "Итоговый документ опубликован"
            assert [m.visible for m in telegram.messages_to(2300 + i)] == [expected]
        assert await outbox_counts(database_url) == {"sent": 31}
    finally:
        await bot.stop()


async def test_refusals_send_nothing(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ky", full_name="Админ"),
        Participant(2400, "ru", "naryn"),
    )
    stranger = person(telegram, 2400, "ru")
    assert texts(await stranger.send("/announce")) == "Эта команда только для организаторов."
    organizer = person(telegram, ADMIN_ID, "ky", "Админ")
    await organizer.send("/announce")
    assert "Текст өтө узун: 5000 белги" in texts(await organizer.send("ж" * 5000))
    await organizer.press("Өткөрүп жиберүү")
    reply = await organizer.press("Өткөрүп жиберүү")
    assert "Текст жок" in texts(reply)
    await organizer.send("/cancel")
    await organizer.send("/announce")
    await organizer.send("ө" * 1100)
    await organizer.press("Өткөрүп жиберүү")
    reply = await organizer.send_photo()
    assert "1024 белгиден ашпашы керек; сиздики 1100 белги" in texts(reply)
    await organizer.send("/cancel")
    await organizer.send("/announce")
    await organizer.send("Жолугушуу")
    await organizer.press("Өткөрүп жиберүү")
    await organizer.press("Өткөрүп жиберүү")
    await organizer.press("Аймак боюнча")
    reply = await organizer.press("Баткен облусу")
    assert "Бул шартка эч ким туура келбейт" in texts(reply)
    assert await outbox_counts(database_url) == {}


async def test_old_rows_are_compacted_and_the_figures_kept(
    running_bot: RunningBot, telegram: FakeTelegramServer, database_url: str
) -> None:
    await add_participants(
        database_url,
        Participant(ADMIN_ID, "ru", full_name="Админ"),
        *(Participant(2500 + i, "ky") for i in range(3)),
    )
    telegram.add_users(range(2500, 2503))
    telegram.block(2502)
    organizer = person(telegram, ADMIN_ID, "ru", "Админ")
    await compose(organizer, "Эртең жолугушуу", None)
    await organizer.press("Все зарегистрированные")
    await organizer.press("Отправить")
    await organizer.wait_for(lambda m: "Объявление: отчёт" in m.visible, timeout=20)

    async with session_on(database_url) as session:
        # As if OUTBOX_KEEP_DAYS had passed since it finished.
        assert await broadcasts.compact(session, utcnow() + timedelta(days=1)) == 4
        await session.commit()
    async with session_on(database_url) as session:
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        [kept] = await session.scalars(select(Broadcast))
        assert kept.archived_counts == {
            "sent|": 3,
            "dropped|Forbidden: bot was blocked by the user": 1,
        }
