"""Kenesh: a Telegram bot for public consultations in Kyrgyzstan."""

from bot.aiogram_models import build_on_first_use

# Before anything imports aiogram: its models are built when first used (bot/aiogram_models.py).
build_on_first_use()
