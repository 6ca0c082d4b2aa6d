"""Buttons of moderation (/moderate): the actions of ModerateCb, a proposal's buttons in the
queue, the page's footer and the two steps of fixing the tags."""

from enum import StrEnum

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.keyboards.callbacks import ModerateCb
from bot.keyboards.pager import add_pager


class ModerateAction(StrEnum):
    PAGE = "page"
    APPROVE_PAGE = "approve_page"
    APPROVE = "approve"
    REJECT = "reject"
    TOPIC = "topic"
    REGION = "region"
    RETAG = "retag"


def queue_item(proposal_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for text, action in (
        (_("✅ Publish"), ModerateAction.APPROVE),
        (_("❌ Reject"), ModerateAction.REJECT),
        (_("🏷 Fix tags"), ModerateAction.TOPIC),
    ):
        builder.button(text=text, callback_data=ModerateCb(action=action, id=proposal_id))
    builder.adjust(2, 1)
    return builder.as_markup()


def queue_footer(count: int, token: str, last_id: int | None) -> InlineKeyboardMarkup:
    """Publish the page's proposals (their ids kept on the server under `token`); the next
    page starts after `last_id` (None: this is the last page)."""
    builder = InlineKeyboardBuilder()
    builder.button(
        text=ngettext("✅ Publish the {count} above", "✅ Publish all {count} above", count).format(
            count=count
        ),
        callback_data=ModerateCb(action=ModerateAction.APPROVE_PAGE, value=token),
    )
    following = None if last_id is None else ModerateCb(action=ModerateAction.PAGE, id=last_id)
    add_pager(builder, None, following)
    builder.adjust(1)
    return builder.as_markup()


def topics(proposal_id: int, options: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code, label in options:
        builder.button(
            text=label,
            callback_data=ModerateCb(action=ModerateAction.REGION, id=proposal_id, value=code),
        )
    builder.adjust(1)
    return builder.as_markup()


def regions(proposal_id: int, topic: str, options: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code, label in options:
        builder.button(
            text=label,
            callback_data=ModerateCb(
                action=ModerateAction.RETAG, id=proposal_id, value=f"{topic}.{code}"
            ),
        )
    builder.adjust(2)
    return builder.as_markup()
