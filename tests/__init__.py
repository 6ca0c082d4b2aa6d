# The bot's package first: it has aiogram's models built on first use (bot/aiogram_models.py),
# so the tests run them as the bot does.
import bot  # noqa: F401
