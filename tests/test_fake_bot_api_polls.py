"""The fake Bot API's native polls are as strict as Telegram's published API: 1-12 options,
question 1-300 and options 1-100 characters, no empty or repeated option; stopPoll once;
votes only in an open poll, one option unless the poll takes several, retraction with []."""

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.types import InputPollOption

from tests.fake_bot_api import FakeTelegramServer
from tests.fake_bot_api.server import POLL_OPTION_TEXT, POLL_OPTIONS, POLL_QUESTION, PollClosed
from tests.harness import TEST_TOKEN


@pytest.fixture
async def bot(telegram: FakeTelegramServer):  # type: ignore[no-untyped-def]
    telegram.add_users([7, 8])
    bot = Bot(
        TEST_TOKEN,
        session=AiohttpSession(api=TelegramAPIServer.from_base(telegram.base_url)),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )
    yield bot
    await bot.session.close()


def options(*texts: str) -> list[InputPollOption]:
    return [InputPollOption(text=text) for text in texts]


def test_limits_come_from_the_published_api() -> None:
    assert POLL_OPTIONS == (1, 12) and POLL_QUESTION == (1, 300) and POLL_OPTION_TEXT == (1, 100)


async def test_send_poll_checks_telegrams_limits(bot: Bot, telegram: FakeTelegramServer) -> None:
    sent = await bot.send_poll(7, "Кайсы?", options("Ооба", "Жок"), is_anonymous=False)
    assert sent.poll is not None and [o.text for o in sent.poll.options] == ["Ооба", "Жок"]
    assert sent.poll.is_anonymous is False and sent.poll.total_voter_count == 0
    refusals = [
        ("Q" * 301, options("a", "b"), "question length"),
        (" ", options("a", "b"), "question must be non-empty"),
        ("Q", options(*(str(n) for n in range(13))), "more than 12 options"),
        ("Q", options("a", "b" * 101), "options length must not exceed 100"),
        ("Q", options("a", " "), "options must be non-empty"),
        ("Q", options("a", "a"), "POLL_OPTION_DUPLICATE"),
    ]
    for question, choices, reason in refusals:
        with pytest.raises(TelegramBadRequest, match=reason):
            await bot.send_poll(7, question, choices)
    with pytest.raises(TelegramBadRequest, match="at least 1 option"):
        await bot.send_poll(7, "Q", [])
    # The question takes the bot's default parse mode unless told otherwise.
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_poll(7, "a < b", options("a", "b"))
    await bot.send_poll(7, "a < b", options("a", "b"), question_parse_mode=None)
    telegram.block(8)
    with pytest.raises(TelegramForbiddenError):
        await bot.send_poll(8, "Q", options("a", "b"))


async def test_votes_retraction_and_stop(bot: Bot, telegram: FakeTelegramServer) -> None:
    one = await bot.send_poll(7, "Бир", options("a", "b", "c"), is_anonymous=False)
    many = await bot.send_poll(
        7, "Көп", options("a", "b", "c"), is_anonymous=False, allows_multiple_answers=True
    )
    assert one.poll is not None and many.poll is not None
    user = {"id": 7, "is_bot": False, "first_name": "Айгүл"}
    with pytest.raises(AssertionError, match="one answer"):
        telegram.answer_poll(one.poll.id, user, [0, 1])
    with pytest.raises(AssertionError, match="no such options"):
        telegram.answer_poll(one.poll.id, user, [3])
    telegram.answer_poll(many.poll.id, user, [0, 2])
    telegram.answer_poll(many.poll.id, user, [])
    updates = [u["poll_answer"] for u in telegram._updates if "poll_answer" in u]
    assert [u["option_ids"] for u in updates] == [[0, 2], []]
    assert updates[0]["option_persistent_ids"] == [f"{many.poll.id}-0", f"{many.poll.id}-2"]
    assert telegram.polls[many.poll.id].poll["total_voter_count"] == 0

    stopped = await bot.stop_poll(7, one.message_id)
    assert stopped.is_closed is True
    with pytest.raises(TelegramBadRequest, match="already been closed"):
        await bot.stop_poll(7, one.message_id)
    with pytest.raises(TelegramBadRequest, match="poll to stop not found"):
        await bot.stop_poll(7, 999)
    with pytest.raises(PollClosed):
        telegram.answer_poll(one.poll.id, user, [1])
