"""Buttons that share a row fit a phone: about 20 characters each, in both languages. (A
button alone on its row may be longer: Telegram wraps nothing, but there is room.)"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aiogram.types import InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot.i18n import create_i18n
from bot.keyboards import common, events, home, summaries
from bot.keyboards.common import organizer_menu as organizer_main_menu
from bot.services.home import OrganizerFigures, RepresentativeFigures

LOCALES = Path(__file__).resolve().parent.parent / "locales"
WIDTH = 20

KEYBOARDS: dict[str, Callable[[], Any]] = {
    "main menu": common.main_menu,
    "consent": common.consent_choice,
    "gender": common.gender_choice,
    "profile": lambda: common.profile_actions(True),
    "profile, announcements off": lambda: common.profile_actions(False),
    "event card": lambda: events.event_card(1, True, True),
    "event card, not registered": lambda: events.event_card(1, False, True),
    "organizer's event": lambda: events.organizer_event(1, "draft"),
    "event preview": events.form_preview,
    "home": lambda: home.home_buttons(
        OrganizerFigures(120, 35, 4), RepresentativeFigures(12, 3, 2)
    ),
    "exports": summaries.export_buttons,
    "summary pager": lambda: summaries.pager(1, 1, 3),
}


def width(text: str) -> int:
    """Characters as a phone shows them: an emoji's variation selector takes no room."""
    return len(text.replace("\ufe0f", ""))


def rows(markup: InlineKeyboardMarkup | ReplyKeyboardMarkup) -> list[list[str]]:
    if isinstance(markup, InlineKeyboardMarkup):
        return [[b.text for b in row] for row in markup.inline_keyboard]
    return [[b.text for b in row] for row in markup.keyboard]


@pytest.mark.parametrize("locale", ["ky", "ru"])
def test_buttons_sharing_a_row_are_short(locale: str) -> None:
    i18n = create_i18n(LOCALES)
    too_wide = []
    token = organizer_main_menu.set(True)  # the organizers' main menu has one more button
    try:
        with i18n.context(), i18n.use_locale(locale):
            for name, build in KEYBOARDS.items():
                for row in rows(build()):
                    if len(row) > 1:
                        too_wide += [(name, text) for text in row if width(text) > WIDTH]
    finally:
        organizer_main_menu.reset(token)
    assert not too_wide, f"{locale}: {too_wide}"
