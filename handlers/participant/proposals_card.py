"""How a proposal looks to a person (a participant, or an organizer in moderation): the card,
split to fit Telegram, where a forwarded one stands with its agency, and its buttons."""

from html import escape
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards import proposals as kb
from bot.notices.agencies import OUTCOME_NAMES, due_line, next_update_line
from bot.notices.proposals import status_name
from bot.services import agencies, proposals
from bot.text_split import shorten, split_text
from db.models import Agency, Proposal, Region, Topic, User, utcnow

# Room left in a message for the card's header lines.
BODY_LIMIT = 3600


async def header(
    session: AsyncSession, proposal: Proposal, locale: str, show_author: bool, tz: ZoneInfo
) -> str:
    topic = await session.get(Topic, proposal.topic_code)
    region = await session.get(Region, proposal.region_code)
    lines = [
        _("<b>Proposal #{id}</b>").format(id=proposal.id),
        f"{topic.name(locale) if topic else ''} · {region.name(locale) if region else ''}",
        _("Status: {status}").format(status=status_name(proposal.status)),
        _("Supported by: {count}").format(count=proposal.support_count),
    ]
    if proposal.merged_into_id:
        lines.append(_("Joined with proposal #{id}").format(id=proposal.merged_into_id))
    if proposal.is_anonymous and not show_author:
        lines.append(_("Author: anonymous"))
    else:
        author = await session.get(User, proposal.author_id)
        name = author.full_name if author and author.full_name else _("(no name)")
        if proposal.is_anonymous:
            name = _("{name} (anonymous to others)").format(name=name)
        lines.append(_("Author: {name}").format(name=escape(name, quote=False)))
    lines += await _agency_lines(session, proposal, locale, tz)
    return "\n".join(lines)


async def _agency_lines(
    session: AsyncSession, proposal: Proposal, locale: str, tz: ZoneInfo
) -> list[str]:
    """Where a forwarded proposal is, for anyone reading it: the agency and its due date
    ("overdue by N days" when late), or the agency's answer."""
    forwarding = await agencies.current_forwarding(session, proposal.id)
    if forwarding is None or forwarding.returned_at is not None:
        return []
    agency = await session.get(Agency, forwarding.agency_id)
    name = escape(agency.name(locale), quote=False) if agency else ""
    lines = [_("Sent to: {agency}.").format(agency=name)]
    reply = await proposals.agency_answer(session, forwarding.id)
    if reply is None:
        return [*lines, due_line(forwarding.due_at, utcnow(), locale, tz)]
    lines.append(
        _("The agency's answer ({outcome}):").format(outcome=OUTCOME_NAMES[reply.outcome]())
    )
    lines.append(escape(shorten(reply.text, 600), quote=False))
    if reply.next_update_on:
        lines.append(next_update_line(reply.next_update_on, locale))
    return lines


async def send_card(
    message: Message,
    session: AsyncSession,
    proposal: Proposal,
    viewer: User,
    locale: str,
    *,
    organizer: bool,
    tz: ZoneInfo,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """The header and the text exactly as written (escaped), in as many messages as needed;
    the buttons go under the last one."""
    top = await header(session, proposal, locale, show_author=organizer, tz=tz)
    pieces = split_text(proposal.text, BODY_LIMIT)
    for number, piece in enumerate(pieces):
        body = escape(piece, quote=False)
        text = f"{top}\n\n{body}" if number == 0 else body
        last = number == len(pieces) - 1
        await message.answer(text, reply_markup=markup if last else None)


async def card_buttons(
    session: AsyncSession, proposal: Proposal, viewer: User
) -> InlineKeyboardMarkup | None:
    """For a representative of the agency that has the proposal open, the item's own buttons
    too (Answer, Not our competence, More days): the numbers a reminder lists (/p<id>) open
    something they can answer."""
    return kb.card(
        proposal.id,
        supported=await proposals.support_state(session, proposal, viewer),
        withdraw=proposals.can_withdraw(proposal, viewer),
        item=await agencies.represented_open_item(session, viewer, proposal.id),
    )
