"""The fake Bot API server refuses what Telegram refuses, so the bot's tests mean something."""

import asyncio
import time

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

from tests.fake_bot_api import FakeTelegramServer
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


async def test_html_must_be_what_telegram_can_parse(bot: Bot, telegram: FakeTelegramServer) -> None:
    sent = await bot.send_message(7, "<b>Баткен</b>: a &lt; b &amp; c")
    assert sent.text == "<b>Баткен</b>: a &lt; b &amp; c"
    assert telegram.last_message(7).visible == "Баткен: a < b & c"  # type: ignore[union-attr]
    for bad in ("a < b", "a & b", "<script>x</script>", "<b>unclosed"):
        with pytest.raises(TelegramBadRequest, match="can't parse entities"):
            await bot.send_message(7, bad)


async def test_length_limits(bot: Bot) -> None:
    await bot.send_message(7, "ө" * 4096)
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(7, "ө" * 4097)
    photo = BufferedInputFile(b"\x89PNG", "p.png")
    with pytest.raises(TelegramBadRequest, match="caption is too long"):
        await bot.send_photo(7, photo, caption="ү" * 1025)


async def test_callback_data_over_64_bytes_is_refused(bot: Bot) -> None:
    def markup(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="Ооба", callback_data=data)]]
        )

    await bot.send_message(7, "ok", reply_markup=markup("ң" * 32))  # 64 bytes
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(7, "too long", reply_markup=markup("ң" * 32 + "x"))


async def test_unknown_method_and_missing_field(telegram: FakeTelegramServer) -> None:
    async with aiohttp.ClientSession() as http:
        base = f"{telegram.base_url}/bot{TEST_TOKEN}"
        async with http.post(f"{base}/sendTelepathy", data={"chat_id": "7"}) as response:
            assert response.status == 404
        async with http.post(f"{base}/sendMessage", data={"chat_id": "7"}) as response:
            body = await response.json()
            assert response.status == 400
            assert body["description"] == "Bad Request: message text is empty"
        async with http.post(f"{base}/sendMessage", data={"chat_id": "x7", "text": "a"}) as r:
            assert r.status == 400


async def test_blocked_unknown_and_rate_limited_chats(
    bot: Bot, telegram: FakeTelegramServer
) -> None:
    telegram.block(8)
    with pytest.raises(TelegramForbiddenError, match="blocked by the user"):
        await bot.send_message(8, "салам")
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(424242, "салам")
    telegram.fail_next("sendMessage", status=429, retry_after=3)
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(7, "салам")
    assert caught.value.retry_after == 3
    telegram.set_rate_limit(per_second=2, retry_after=5)
    await bot.send_message(7, "1")
    await bot.send_message(7, "2")
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(7, "3")
    refused_at = time.monotonic()  # the server refused a little earlier, by its own clock
    # Refused for the whole retry_after, as Telegram does, though the window has emptied
    # (more than a second after the refusal, however slowly "3" followed "2").
    while time.monotonic() - refused_at < 1.1:  # noqa: ASYNC110
        await asyncio.sleep(0.1)
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(7, "4")
    assert 1 <= caught.value.retry_after <= 4  # what is left of the five seconds


async def test_documents_can_be_read_back(bot: Bot, telegram: FakeTelegramServer) -> None:
    await bot.send_document(7, BufferedInputFile(b"BEGIN:VCALENDAR", "event.ics"), caption="📅")
    assert telegram.last_message(7).document == ("event.ics", b"BEGIN:VCALENDAR")  # type: ignore[union-attr]


async def test_only_one_poller(telegram: FakeTelegramServer) -> None:
    async with aiohttp.ClientSession() as http:
        base = f"{telegram.base_url}/bot{TEST_TOKEN}/getUpdates"

        async def poll() -> int:
            async with http.post(base, data={"timeout": "60"}) as answer:
                return answer.status

        # Two long polls at once, whichever arrives first: the later one is refused at once,
        # while the other waits for an update.
        polls = {asyncio.create_task(poll()), asyncio.create_task(poll())}
        refused, waiting = await asyncio.wait(polls, return_when=asyncio.FIRST_COMPLETED)
        assert [task.result() for task in refused] == [409]
        telegram.push_update(
            {
                "message": {
                    "message_id": 1,
                    "date": 0,
                    "text": "x",
                    "chat": {"id": 7, "type": "private"},
                }
            }
        )
        assert [await task for task in waiting] == [200]
