"""Moved to handlers/organizer/moderation.py (issue 15).
Kept only for handlers/home.py, which opens this journey from the organizer's home screen;
the lead removes it when home.py imports the new place."""

from handlers.organizer.moderation import on_queue

__all__ = ["on_queue"]
