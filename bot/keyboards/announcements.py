"""Buttons of an announcement (/announce): the actions of BroadcastCb, the confirmation and
the button that stops a sending. The audience step is in bot/keyboards/audience.py."""

from enum import StrEnum

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.keyboards.audience import audience_kinds
from bot.keyboards.callbacks import BroadcastCb

KINDS = ("all", "region", "abroad", "category", "language", "event")


class BroadcastAction(StrEnum):
    AUDIENCE = "audience"
    PICK = "pick"
    SEND = "send"
    CANCEL = "cancel"
    STOP = "stop"


def audience_choice() -> InlineKeyboardMarkup:
    return audience_kinds(
        KINDS,
        lambda kind: BroadcastCb(action=BroadcastAction.AUDIENCE, value=kind),
        BroadcastCb(action=BroadcastAction.CANCEL),
    )


def pick(value: str) -> BroadcastCb:
    return BroadcastCb(action=BroadcastAction.PICK, value=value)


def confirm_send() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Send"), callback_data=BroadcastCb(action=BroadcastAction.SEND))
    builder.button(text=_("Cancel"), callback_data=BroadcastCb(action=BroadcastAction.CANCEL))
    return builder.as_markup()


def stop_sending(broadcast_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("⏹ Stop sending"),
        callback_data=BroadcastCb(action=BroadcastAction.STOP, id=broadcast_id),
    )
    return builder.as_markup()
