"""A fake Telegram Bot API server, strict like Telegram, and people who talk to the bot."""

from tests.fake_bot_api.person import Person
from tests.fake_bot_api.server import ApiCall, FakeTelegramServer, SentMessage

__all__ = ["ApiCall", "FakeTelegramServer", "Person", "SentMessage"]
