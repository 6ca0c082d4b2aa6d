"""Kenesh: a Telegram bot for public consultations in Kyrgyzstan."""
