"""Buttons of the survey after an event, on the participant's side. SurveyCb stays in
bot/keyboards/polls.py (the rating buttons are built there, in the outbox's notice)."""

from enum import StrEnum

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.keyboards.polls import SurveyCb

# The packed values of SurveyCb.action.
SurveyAction = StrEnum("SurveyAction", "rate skip skip_comment")


def skip_comment(event_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("Skip"), callback_data=SurveyCb(action=SurveyAction.skip_comment, event=event_id)
    )
    return builder.as_markup()
