"""Replies under Telegram's overall limit: a burst of people larger than the limit is
answered in full, each once and without an apology; a 429 on a reply is waited out and the
same reply arrives; a reply lost to the network is tried again; a 403 is not retried. The
fake Bot API enforces the limit and, once it answered 429, refuses everything for the whole
retry_after."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import suppress

import pytest

from bot.app import App, build_app, start_background
from bot.send_rate import REPLY_CHAT_BURST
from tests.e2e import person, texts
from tests.fake_bot_api import FakeTelegramServer, Person
from tests.fake_bot_api.server import DROP_CONNECTION
from tests.harness import RunningBot, make_settings
from tests.redis_fixtures import TEST_REDIS_URL, empty_redis

LIMIT = 10  # the fake Bot API's overall limit here (Telegram's is about 30)
PACE = 8  # TELEGRAM_RATE_PER_SECOND: what the bot keeps to, a little under the limit
WELCOME = "«Кеңешке» кош келиңиз"
APOLOGY = "Ката кетти"


@pytest.fixture
async def concurrent_bot(database_url: str, telegram: FakeTelegramServer) -> AsyncIterator[App]:
    """The bot as it runs in production: each update handled in a task of its own."""
    if TEST_REDIS_URL:
        await empty_redis(TEST_REDIS_URL)
    settings = make_settings(
        database_url, telegram.base_url, redis_url=TEST_REDIS_URL, telegram_rate_per_second=PACE
    )
    app = await build_app(settings)
    await start_background(app)
    polling = asyncio.create_task(
        app.dp.start_polling(
            app.bot,
            handle_as_tasks=True,
            polling_timeout=1,
            handle_signals=False,
            close_bot_session=False,
        )
    )
    try:
        yield app
    finally:
        with suppress(RuntimeError):
            await app.dp.stop_polling()
        await asyncio.wait_for(polling, timeout=30)
        await app.close()


async def test_a_burst_larger_than_the_limit_is_answered_in_full(
    concurrent_bot: App, telegram: FakeTelegramServer
) -> None:
    telegram.set_rate_limit(LIMIT, retry_after=2)
    people = start_at_once(telegram, range(7000, 7000 + 4 * LIMIT))
    await all_welcomed_once(telegram, people)


def start_at_once(telegram: FakeTelegramServer, ids: range) -> list[Person]:
    """Everyone sends /start at the same moment (nobody waits for an answer first)."""
    people = [person(telegram, i, "ky") for i in ids]
    for someone in people:
        telegram.add_user(someone.user_id)
        command = {"type": "bot_command", "offset": 0, "length": 6}
        telegram.push_update({"message": someone._message(text="/start", entities=[command])})
    return people


async def all_welcomed_once(telegram: FakeTelegramServer, people: list[Person]) -> None:
    for someone in people:
        await someone.wait_for(WELCOME, timeout=120)
    # Each was welcomed exactly once, and nobody was told that something went wrong.
    for someone in people:
        assert [WELCOME in m.visible for m in someone.inbox] == [True], someone.inbox
    assert not any(APOLOGY in m.visible for m in telegram.sent)


async def test_a_429_on_a_reply_is_waited_out_and_the_reply_arrives(
    running_bot: RunningBot, telegram: FakeTelegramServer
) -> None:
    aigul = person(telegram, 7101, "ky")
    telegram.fail_next("sendMessage", status=429, retry_after=2, chat_id=7101)

    await aigul.send("/start")

    await aigul.wait_for(WELCOME, timeout=30)
    calls = [c for c in telegram.calls_of("sendMessage") if int(c.params["chat_id"]) == 7101]
    assert [c.status for c in calls] == [429, 200]
    assert calls[0].params["text"] == calls[1].params["text"]  # the same reply, tried again
    assert calls[1].at - calls[0].at >= 1.9  # after retry_after
    assert [WELCOME in m.visible for m in aigul.inbox] == [True]

    # Everyone waits with it: the next person's reply went out after the pause too.
    bolot = person(telegram, 7102, "ru")
    reply = await bolot.send("/start")
    assert "Добро пожаловать" in texts(reply) or WELCOME in texts(reply)
    assert telegram.rejected_429 == 1


async def test_a_reply_lost_to_the_network_is_sent_again(
    running_bot: RunningBot, telegram: FakeTelegramServer
) -> None:
    aigul = person(telegram, 7151, "ky")
    telegram.fail_next("sendMessage", status=DROP_CONNECTION, chat_id=7151)

    await aigul.send("/start")

    await aigul.wait_for(WELCOME, timeout=30)
    calls = [c for c in telegram.calls_of("sendMessage") if int(c.params["chat_id"]) == 7151]
    assert [c.status for c in calls] == [DROP_CONNECTION, 200]
    assert [WELCOME in m.visible for m in aigul.inbox] == [True]


async def test_a_network_down_for_every_try_ends_in_the_apology_and_the_bot_goes_on(
    running_bot: RunningBot, telegram: FakeTelegramServer
) -> None:
    aigul = person(telegram, 7161, "ky")
    telegram.fail_next("sendMessage", status=DROP_CONNECTION, times=3, chat_id=7161)

    await aigul.send("/start")

    await aigul.wait_for(APOLOGY, timeout=30)
    calls = [c for c in telegram.calls_of("sendMessage") if int(c.params["chat_id"]) == 7161]
    assert [c.status for c in calls] == [DROP_CONNECTION] * 3 + [200]
    # The network is back: the next message is answered as usual.
    reply = await aigul.send("/start")
    assert WELCOME in texts(reply)


async def test_a_403_on_a_reply_is_not_retried(
    running_bot: RunningBot, telegram: FakeTelegramServer
) -> None:
    aigul = person(telegram, 7201, "ky")
    telegram.add_user(7201)
    telegram.block(7201)

    await aigul.send("/start")

    calls = [c for c in telegram.calls_of("sendMessage") if int(c.params["chat_id"]) == 7201]
    # The welcome, then the apology of the error handler: each tried once, both refused.
    assert [c.status for c in calls] == [403, 403]
    assert APOLOGY in calls[1].params["text"]


async def test_one_chat_gets_a_short_burst_of_replies_then_one_a_second(
    database_url: str, telegram: FakeTelegramServer
) -> None:
    """Telegram takes about one message a second in one chat: someone who sends many
    messages at once is answered a few at once, then one a second."""
    interval = 1.0  # OUTBOX_CHAT_INTERVAL_SECONDS as shipped
    bot = RunningBot(
        make_settings(database_url, telegram.base_url, outbox_chat_interval_seconds=interval)
    )
    await bot.start()
    try:
        aigul = person(telegram, 7201, "ky")
        for _ in range(6):
            await aigul.send("/start")
    finally:
        await bot.stop()

    sends = [
        call.at
        for call in telegram.calls
        if call.method.startswith("send") and int(call.params.get("chat_id", 0)) == 7201
    ]
    assert len(sends) >= 6
    assert [WELCOME in m.visible for m in aigul.inbox].count(True) == 6
    # Any stretch of n replies lasts at least n - REPLY_CHAT_BURST intervals (less a
    # little for the clocks' resolution), however fast or slow the machine.
    for first in range(len(sends)):
        for last in range(first + REPLY_CHAT_BURST, len(sends)):
            lasted = sends[last] - sends[first]
            assert lasted >= (last - first + 1 - REPLY_CHAT_BURST) * interval - 0.01, sends
