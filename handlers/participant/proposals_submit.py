"""The last step of a participant's proposal form, from the preview: submit it, edit the text,
support a similar published one instead, or cancel."""

from typing import cast

from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from bot.config import Settings
from bot.keyboards import common as menu
from bot.keyboards.callbacks import ProposeCb
from bot.services import proposals
from bot.services.errors import InvalidInput
from bot.services.proposals import ProposalDraft
from db.models import Proposal
from handlers.common import drop_buttons
from handlers.participant.proposals_form import Propose, daily_limit_text, show_preview_again
from handlers.wizard import Conversation


async def on_submit(callback: CallbackQuery, conv: Conversation, settings: Settings) -> None:
    await drop_buttons(callback)
    data = await conv.state.get_data()
    draft = ProposalDraft(
        topic_code=data["topic"],
        region_code=data["region"],
        text=data["text"],
        is_anonymous=bool(data.get("anonymous")),
        event_id=data.get("event_id"),
        attachment_kind=data.get("attachment_kind"),
        attachment_file_id=data.get("attachment"),
    )
    try:
        proposal = await proposals.submit(
            conv.session, conv.user, draft, daily_limit=settings.proposals_per_day
        )
    except InvalidInput as error:
        await _not_submitted(conv, error)
        return
    await conv.state.clear()
    await conv.message.answer(
        _(
            "Thank you! Proposal #{id} is sent and waits for moderation. "
            "You will be told of every change: /myproposals"
        ).format(id=proposal.id),
        reply_markup=menu.main_menu(),
    )


async def _not_submitted(conv: Conversation, error: InvalidInput) -> None:
    if error.reason == "daily_limit":
        # The conversation (and the draft in it) stays: "Submit" works again tomorrow.
        await conv.message.answer(
            daily_limit_text(cast(int, error.details["limit"]))
            + "\n"
            + _("Your draft is kept: press «Submit» again tomorrow, or /cancel.")
        )
        await show_preview_again(conv)
        return
    await conv.message.answer(_("Please check what you entered and try again."))


async def on_edit(callback: CallbackQuery, conv: Conversation) -> None:
    await drop_buttons(callback)
    await conv.state.set_state(Propose.text)
    await conv.message.answer(_("Send the new text of your proposal."))


async def on_support_instead(
    callback: CallbackQuery, callback_data: ProposeCb, conv: Conversation
) -> None:
    await drop_buttons(callback)
    proposal = await conv.session.get(Proposal, int(callback_data.value))
    if proposal is None:
        return
    try:
        await proposals.support(conv.session, proposal, conv.user)
    except InvalidInput:
        await conv.message.answer(_("This proposal cannot be supported now."))
        return
    await conv.state.clear()
    await conv.message.answer(
        _("You support proposal #{id} now ({count} in all). Your own draft was not sent.").format(
            id=proposal.id, count=proposal.support_count
        ),
        reply_markup=menu.main_menu(),
    )


async def on_cancel(callback: CallbackQuery, conv: Conversation) -> None:
    """The form's own Cancel (handlers/cancel.py answers the same button first)."""
    await drop_buttons(callback)
    await conv.state.clear()
    await conv.message.answer(_("The proposal was not sent."), reply_markup=menu.main_menu())
