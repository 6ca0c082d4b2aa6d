"""Polls: checked against Telegram's limits, sent to an audience through the outbox as native
polls, answers stored against the person, results broken down by region, country, stakeholder
category and gender (a group of fewer than 5 people is never shown in figures), closing and
sharing. Imports nothing from aiogram; bot/poll_delivery.py does the sending.

limits.py (Telegram's limits), composing.py (a poll's text, audience and start), answers.py,
figures.py (results, breakdowns, live results), closing.py (closing and sharing). The names
are re-exported here: `from bot.services import polls; polls.results(...)` keeps working."""

from bot.services.polls.answers import Answered, attach_results_message, record_answer
from bot.services.polls.closing import close, enqueue_stops, share
from bot.services.polls.composing import (
    audience_query,
    check_question,
    combine_options,
    count_audience,
    pages,
    parse_options,
    rank_options,
    start,
)
from bot.services.polls.figures import (
    Group,
    Results,
    breakdown,
    delivery_counts,
    live_due,
    live_shown,
    recent,
    results,
    voters,
)
from bot.services.polls.limits import (
    CLOSED,
    DIMENSIONS,
    LIVE_INTERVAL,
    OPTION_MAX,
    OPTIONS_MAX,
    OPTIONS_MIN,
    QUESTION_MAX,
    SMALL_GROUP,
)
from db.models import Poll  # callers (and tests) name the model through this module too

__all__ = [
    "CLOSED",
    "DIMENSIONS",
    "LIVE_INTERVAL",
    "OPTIONS_MAX",
    "OPTIONS_MIN",
    "OPTION_MAX",
    "QUESTION_MAX",
    "SMALL_GROUP",
    "Answered",
    "Group",
    "Poll",
    "Results",
    "attach_results_message",
    "audience_query",
    "breakdown",
    "check_question",
    "close",
    "combine_options",
    "count_audience",
    "delivery_counts",
    "enqueue_stops",
    "live_due",
    "live_shown",
    "pages",
    "parse_options",
    "rank_options",
    "recent",
    "record_answer",
    "results",
    "share",
    "start",
    "voters",
]
