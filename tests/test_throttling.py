"""Flood control: a person who sends faster than the limit is told once, in their language,
and the extra messages are not handled; kept in memory, or in Redis for several processes."""

from bot.middlewares.throttling import MemoryHitCounter
from tests.e2e import person, texts
from tests.fake_bot_api import FakeTelegramServer
from tests.harness import RunningBot, make_settings


async def test_a_flood_is_told_once_and_not_handled(
    database_url: str, telegram: FakeTelegramServer
) -> None:
    await flood(database_url, telegram, None, "ky", "Бир убакта өтө көп билдирүү келди")


async def test_the_count_is_shared_through_redis(
    database_url: str, telegram: FakeTelegramServer, redis_url: str
) -> None:
    await flood(database_url, telegram, redis_url, "ru", "Слишком много сообщений сразу")


async def flood(
    database_url: str,
    telegram: FakeTelegramServer,
    redis_url: str | None,
    language: str,
    warning: str,
) -> None:
    settings = make_settings(
        database_url,
        telegram.base_url,
        redis_url=redis_url,
        throttle_updates=3,
        throttle_window_seconds=60,
    )
    bot = await RunningBot(settings, with_background=False).start()
    try:
        someone = person(telegram, 4101, language, "Бакыт")
        replies = [await someone.send("/help") for _ in range(5)]
        assert all(reply and warning not in texts(reply) for reply in replies[:3])
        assert len(replies[3]) == 1 and warning in texts(replies[3])
        assert replies[4] == []  # still over the limit: ignored, and not told again
        other = person(telegram, 4102, language, "Нурия")
        assert await other.send("/help")  # another person is not held back
    finally:
        await bot.stop()


async def test_a_window_opens_with_the_first_message_not_on_the_clock() -> None:
    """Four messages around a minute's edge are one burst: the fourth is over a limit of 3."""
    clock = iter([59.7, 59.8, 59.9, 60.1, 119.8])
    counter = MemoryHitCounter(clock=lambda: next(clock))
    hits = [await counter.hit("4101", 60) for _ in range(5)]
    assert hits == [1, 2, 3, 4, 1]  # the last comes 60.1 s after the first: a new window
