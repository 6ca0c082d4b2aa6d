"""Moved to handlers/participant/summaries.py (issue 15).
Kept only for handlers/home.py, which opens this journey from the organizer's home screen;
the lead removes it when home.py imports the new place."""

from handlers.participant.summaries import on_summaries

__all__ = ["on_summaries"]
