"""Keyboard builders and typed CallbackData factories (ids only, never whole texts)."""
