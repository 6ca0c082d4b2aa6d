"""Telegram's limits for a native poll and the figures the poll services keep to."""

from datetime import timedelta

# Telegram's limits for a native poll (../shared/telegram/api.json, sendPoll).
OPTIONS_MAX = 12
OPTIONS_MIN = 2  # Telegram takes 1; a poll of one option asks nothing
QUESTION_MAX = 300
OPTION_MAX = 100
# A breakdown group this small is shown as "fewer than 5", never in figures.
SMALL_GROUP = 5
# The organizer's live results message is edited at most this often.
LIVE_INTERVAL = timedelta(seconds=5)
DIMENSIONS = ("region", "country", "category", "gender")
CLOSED = "closed before it was sent"
