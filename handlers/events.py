"""Moved to handlers/participant/ (events.py, event_registration.py, event_cards.py). The
organizer's modules still import the event card and the reasons from here."""

from handlers.participant.event_cards import card_text, explain_event

__all__ = ["card_text", "explain_event"]
