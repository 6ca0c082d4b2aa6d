"""Moved to handlers/participant/proposals_card.py. Moderation still imports the card from
here."""

from handlers.participant.proposals_card import card_buttons, header, send_card

__all__ = ["card_buttons", "header", "send_card"]
