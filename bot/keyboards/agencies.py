"""Callback data of the agency journeys (ids only)."""

from aiogram.filters.callback_data import CallbackData


class SatisfactionCb(CallbackData, prefix="agsat"):
    answer_id: int
    satisfied: bool
