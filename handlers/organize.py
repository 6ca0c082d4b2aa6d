"""Moved to handlers/organizer/event_card.py (issue 15).
Kept only for handlers/home.py, which opens this journey from the organizer's home screen;
the lead removes it when home.py imports the new place."""

from handlers.organizer.event_card import on_organize

__all__ = ["on_organize"]
