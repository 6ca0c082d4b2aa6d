"""Organizers forward proposals to agencies: one (/forward number, then the agency, the
topic's usual one first) or all of an event's published proposals to their topics' agencies
(a preview, then yes or no; the button is on the event's card)."""

from html import escape
from zoneinfo import ZoneInfo

from aiogram.filters import CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import format_day
from bot.keyboards import agencies as kb
from bot.keyboards.agencies import AgencyWorkCb
from bot.services import agencies
from bot.services.errors import InvalidInput
from db.models import User
from handlers.common import drop_buttons, no_longer_active


async def on_forward(
    message: Message, command: CommandObject, session: AsyncSession, i18n: I18n
) -> None:
    argument = (command.args or "").strip().lstrip("#")
    proposal = None
    if argument.isdigit():
        proposal = await agencies.forwardable_proposal(session, int(argument))
    if proposal is None:
        await message.answer(_("Write the number of a published proposal, like this: /forward 12"))
        return
    default = await agencies.default_agency(session, proposal.topic_code)
    options = await agencies.active_agencies(session)
    await message.answer(
        _("Proposal #{id}: to which agency? ⭐ marks the topic's usual one.").format(
            id=proposal.id
        ),
        reply_markup=kb.forward_choices(proposal.id, options, default, i18n.current_locale),
    )


async def on_forward_to(
    callback: CallbackQuery,
    callback_data: AgencyWorkCb,
    message: Message,
    user: User,
    session: AsyncSession,
    tz: ZoneInfo,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    agency_id = int(callback_data.value or 0)
    try:
        forwarded = await agencies.forward_to(session, callback_data.id, agency_id, user, tz)
    except InvalidInput:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    await message.answer(
        _("Proposal #{id} is forwarded; the answer is due by {due}.").format(
            id=callback_data.id, due=format_day(forwarded.due_at, i18n.current_locale, tz)
        )
    )


async def on_event_preview(
    _callback: CallbackQuery,
    message: Message,
    callback_data: AgencyWorkCb,
    session: AsyncSession,
    i18n: I18n,
) -> None:
    """Where an event's published proposals would go, and which have no agency."""
    event_id = callback_data.id
    plan = await agencies.plan_event_forwarding(session, event_id)
    if not plan.routed:
        await message.answer(
            _("No published proposal of this event is waiting to be forwarded.")
            + _unrouted_line(plan.unrouted)
        )
        return
    lines = [
        _("Forward {count} published proposals to their topics' agencies?").format(
            count=plan.routed
        )
    ]
    for agency_id, ids in plan.by_agency.items():
        agency = await agencies.get_agency(session, agency_id)
        assert agency is not None
        name = escape(agency.short_name(i18n.current_locale), quote=False)
        lines.append(f"• {name}: {len(ids)}")
    await message.answer(
        "\n".join(lines) + _unrouted_line(plan.unrouted),
        reply_markup=kb.event_forwarding_confirm(event_id),
    )


async def on_event_yes(
    callback: CallbackQuery,
    message: Message,
    session: AsyncSession,
    callback_data: AgencyWorkCb,
    user: User,
    tz: ZoneInfo,
) -> None:
    await drop_buttons(callback)
    done = await agencies.forward_event(session, callback_data.id, user, tz)
    await message.answer(
        _(
            "Forwarded: {count}. The authors are told, and the representatives have the items."
        ).format(count=done.routed)
        + _unrouted_line(done.unrouted)
    )


async def on_event_no(callback: CallbackQuery, message: Message) -> None:
    await drop_buttons(callback)
    await message.answer(_("Nothing was forwarded."))


def _unrouted_line(proposal_ids: list[int]) -> str:
    if not proposal_ids:
        return ""
    return "\n" + _(
        "No agency for the topic of {ids}: forward them by hand with /forward and the number."
    ).format(ids=", ".join(f"#{i}" for i in proposal_ids[:30]))
