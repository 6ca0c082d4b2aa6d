"""One proposal, for a participant: open it (/p<id>, a button, or /start p_<id> from the
public site; its author also sees its history), support it or take the support back,
withdraw one's own."""

import re
from contextlib import suppress
from dataclasses import dataclass
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import BaseFilter, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.filters import Role, has_role
from bot.i18n import format_day
from bot.keyboards.callbacks import ProposalCb
from bot.notices.proposals import status_name
from bot.services import proposals
from bot.services.errors import InvalidInput, NotAllowed
from db.models import Proposal, User
from handlers.common import drop_buttons, message_of, no_longer_active
from handlers.participant.proposals_card import card_buttons, send_card


@dataclass
class CardPress:
    """What a proposal's handler works with: the message to answer, the proposal, the person
    and the session (the filters below supply it as `press`)."""

    message: Message
    proposal: Proposal
    user: User
    session: AsyncSession
    organizer: bool  # an organizer sees the author of an anonymous one, and the history


async def _press(
    message: Message | None,
    proposal_id: int,
    session: AsyncSession,
    user: User,
    organizer: bool,
    *,
    visible: bool,
) -> dict[str, Any] | bool:
    """`press` for the handler, or False when there is nothing (or, with `visible`, nothing
    this person may see) to act on."""
    proposal = await session.get(Proposal, proposal_id)
    if message is None or proposal is None:
        return False
    if visible and not proposals.visible_to(proposal, user, organizer=organizer):
        return False
    return {"press": CardPress(message, proposal, user, session, organizer)}


LINK_ARGS = re.compile(r"^p_(\d+)$")


def _proposal_id(command: CommandObject) -> int:
    """From /p<id> (the command's own pattern) or /start p_<id> (a link)."""
    if command.regexp_match:
        return int(command.regexp_match.group(1))
    link = LINK_ARGS.match(command.args or "")
    return int(link.group(1)) if link else 0


class ProposalCommand(BaseFilter):
    """/p<id> or /start p_<id> of a proposal the person may see: supplies `press`."""

    async def __call__(
        self,
        message: Message,
        command: CommandObject,
        session: AsyncSession,
        user: User,
        settings: Settings,
    ) -> bool | dict[str, Any]:
        proposal_id = _proposal_id(command)
        organizer = await has_role(Role.ORGANIZER, user, settings, session)
        return await _press(message, proposal_id, session, user, organizer, visible=True)


class PressedCard(BaseFilter):
    """A press under a proposal's card: supplies `press` while the card's message and its
    proposal are there (and, with `visible`, while the person may still see it); any other
    press goes on to `on_no_longer_active`."""

    def __init__(self, *, visible: bool = False) -> None:
        self.visible = visible

    async def __call__(
        self,
        callback: CallbackQuery,
        callback_data: ProposalCb,
        session: AsyncSession,
        user: User,
        settings: Settings,
    ) -> bool | dict[str, Any]:
        organizer = await has_role(Role.ORGANIZER, user, settings, session)
        return await _press(
            message_of(callback), callback_data.id, session, user, organizer, visible=self.visible
        )


async def on_no_such_proposal(message: Message) -> None:
    await message.answer(
        _("There is no such proposal. Published ones are in /proposals, yours in /myproposals.")
    )


async def on_open(
    event: Message | CallbackQuery, press: CardPress, i18n: I18n, tz: ZoneInfo
) -> None:
    """The card, with the history for its author and organizers (/p<id> or Open)."""
    message, proposal, user, session = press.message, press.proposal, press.user, press.session
    locale = i18n.current_locale
    organizer = press.organizer
    markup = await card_buttons(session, proposal, user)
    await send_card(
        message, session, proposal, user, locale, organizer=organizer, tz=tz, markup=markup
    )
    if proposal.author_id == user.id or organizer:
        lines = [_("<b>History</b>")]
        for change in await proposals.history(session, proposal):
            line = f"{format_day(change.created_at, locale, tz)}: {status_name(change.status)}"
            if change.note:
                line += f" ({escape(change.note, quote=False)})"
            lines.append(line)
        await message.answer("\n".join(lines))


async def on_withdraw(
    callback: CallbackQuery, press: CardPress, callback_answer: CallbackAnswer
) -> None:
    try:
        await proposals.withdraw(press.session, press.proposal, press.user)
    except (InvalidInput, NotAllowed):
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    await press.message.answer(_("Proposal #{id} is withdrawn.").format(id=press.proposal.id))


async def on_support(
    callback: CallbackQuery, press: CardPress, callback_answer: CallbackAnswer
) -> None:
    try:
        await proposals.support(press.session, press.proposal, press.user)
    except InvalidInput:
        no_longer_active(callback_answer)
        return
    count = press.proposal.support_count
    callback_answer.text = _("You support this proposal ({count}).").format(count=count)
    await _refresh_card_buttons(press)


async def on_take_back(
    callback: CallbackQuery, press: CardPress, callback_answer: CallbackAnswer
) -> None:
    await proposals.take_back_support(press.session, press.proposal, press.user)
    count = press.proposal.support_count
    callback_answer.text = _("Your support is taken back ({count}).").format(count=count)
    await _refresh_card_buttons(press)


async def _refresh_card_buttons(press: CardPress) -> None:
    # An older copy of the card may already show these buttons: nothing to edit then.
    markup = await card_buttons(press.session, press.proposal, press.user)
    with suppress(TelegramBadRequest):
        await press.message.edit_reply_markup(reply_markup=markup)
