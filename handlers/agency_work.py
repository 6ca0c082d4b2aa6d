"""Agencies at work: organizers see the agencies' figures, invite representatives and
forward proposals; representatives see their open items, answer or return them."""

from datetime import date, timedelta
from html import escape
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.filters import Role, for_commands, guard
from bot.i18n import N_, format_day, format_number, format_share
from bot.keyboards.agencies import AgencyWorkCb
from bot.keyboards.common import cancel_only
from bot.notices.agencies import due_line
from bot.notices.proposals import status_name
from bot.services import agencies, users, validation
from bot.services.errors import InvalidInput, NotAllowed
from bot.text_split import shorten
from db.models import Agency, Forwarding, Proposal, User, utcnow
from handlers.agency_directory import invitation_link
from handlers.common import drop_buttons, message_of, no_longer_active, organizers_only

OUTCOME_LABELS = {
    "accepted": N_("Accepted"),
    "partially-accepted": N_("Partially accepted"),
    "declined": N_("Not supported"),
    "implemented": N_("Implemented"),
    "in-progress": N_("In progress"),
}
ANSWER_MAX = 4000


ORGANIZER_ACTIONS = {"forward", "event", "event_yes", "event_no"}
REPRESENTATIVE_ACTIONS = {"answer", "outcome", "nodoc", "return", "extend"}


class AgencyWork(StatesGroup):
    next_update = State()
    answer_text = State()
    answer_document = State()
    return_reason = State()
    extension_days = State()
    extension_reason = State()


def router() -> Router:
    r = Router(name="agency_work")
    organizer = for_commands(Role.ORGANIZER, "agencies", "invite", "forward")
    r.message.register(on_agencies, Command("agencies"), organizer)
    r.message.register(on_invite, Command("invite"), organizer)
    r.message.register(on_forward, Command("forward"), organizer)
    r.message.register(on_items, Command("items"), for_commands(Role.REPRESENTATIVE, "items"))
    r.message.register(on_next_update, AgencyWork.next_update, F.text)
    r.message.register(on_answer_text, AgencyWork.answer_text, F.text)
    r.message.register(on_answer_document, AgencyWork.answer_document, F.document)
    r.message.register(on_return_reason, AgencyWork.return_reason, F.text)
    r.message.register(on_extension_days, AgencyWork.extension_days, F.text)
    r.message.register(on_extension_reason, AgencyWork.extension_reason, F.text)
    r.callback_query.register(
        on_press,
        AgencyWorkCb.filter(F.action.in_(ORGANIZER_ACTIONS)),
        guard(Role.ORGANIZER, AgencyWorkCb, ORGANIZER_ACTIONS),
    )
    r.callback_query.register(
        on_press,
        AgencyWorkCb.filter(F.action.in_(REPRESENTATIVE_ACTIONS)),
        guard(Role.REPRESENTATIVE, AgencyWorkCb, REPRESENTATIVE_ACTIONS),
    )
    return r


async def on_agencies(
    message: Message,
    user: User,
    session: AsyncSession,
    settings: Settings,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    if not await organizers_only(message, settings, user):
        return
    now, locale = utcnow(), i18n.current_locale
    lines = [
        _(
            "<b>Agencies</b>: forwarded / answered / overdue, median days to answer, "
            "authors satisfied, oldest open item"
        )
    ]
    rows = await session.scalars(select(Agency).where(Agency.is_active).order_by(Agency.code))
    for agency in rows:
        figures = await agencies.figures(session, agency.id, now)
        median = "—"
        if figures.median_days is not None:
            median = format_number(figures.median_days, locale)
        satisfied = "—"
        if figures.satisfied_share is not None:
            satisfied = format_share(figures.satisfied_share, locale)
        oldest = "—"
        if figures.oldest_open_at is not None:
            oldest = format_day(figures.oldest_open_at, locale, tz)
        lines.append(
            f"<code>{agency.code}</code> {escape(agency.short_name(locale), quote=False)}: "
            f"{figures.forwarded} / {figures.answered} / {figures.overdue}, {median}, "
            f"{satisfied}, {oldest}"
        )
    unrouted = await agencies.unrouted(session)
    if unrouted:
        ids = ", ".join(f"#{p.id}" for p in unrouted[:20])
        lines.append(_("To route by hand (no agency for the topic): {ids}").format(ids=ids))
    lines.append(_("Invite a representative: /invite code. Forward: /forward proposal number."))
    lines.append(
        _(
            "An agency's card: /agency code. New agency: /addagency. "
            "Topics: /routes. Holidays: /holidays."
        )
    )
    await message.answer("\n".join(lines))


async def on_invite(
    message: Message,
    command: CommandObject,
    user: User,
    session: AsyncSession,
    settings: Settings,
    bot: Bot,
) -> None:
    if not await organizers_only(message, settings, user):
        return
    code = (command.args or "").strip()
    agency = await session.scalar(select(Agency).where(Agency.code == code, Agency.is_active))
    if agency is None:
        await message.answer(_("Write it like this: /invite minedu (the codes are in /agencies)."))
        return
    await message.answer(await invitation_link(session, bot, agency, user, settings))


async def on_forward(
    message: Message,
    command: CommandObject,
    user: User,
    session: AsyncSession,
    settings: Settings,
    i18n: I18n,
) -> None:
    if not await organizers_only(message, settings, user):
        return
    argument = (command.args or "").strip().lstrip("#")
    proposal = await session.get(Proposal, int(argument)) if argument.isdigit() else None
    if proposal is None or proposal.status not in ("published", "returned"):
        await message.answer(_("Write the number of a published proposal, like this: /forward 12"))
        return
    default = await agencies.default_agency(session, proposal.topic_code)
    builder = InlineKeyboardBuilder()
    rows = await session.scalars(select(Agency).where(Agency.is_active).order_by(Agency.code))
    for agency in sorted(rows, key=lambda a: a.id != (default.id if default else None)):
        label = agency.short_name(i18n.current_locale)
        if default and agency.id == default.id:
            label = "⭐ " + label
        builder.button(
            text=label[:60],
            callback_data=AgencyWorkCb(action="forward", id=proposal.id, value=str(agency.id)),
        )
    builder.adjust(1)
    await message.answer(
        _("Proposal #{id}: to which agency? ⭐ marks the topic's usual one.").format(
            id=proposal.id
        ),
        reply_markup=builder.as_markup(),
    )


async def on_items(
    message: Message, user: User, session: AsyncSession, i18n: I18n, tz: ZoneInfo
) -> None:
    items = await agencies.open_items(session, user)
    if not items:
        await message.answer(_("Your agency has no open items."))
        return
    now, locale = utcnow(), i18n.current_locale
    for item in items[:10]:
        proposal = await session.get(Proposal, item.proposal_id)
        if proposal is None:
            continue
        text = shorten(proposal.text, 700)
        builder = InlineKeyboardBuilder()
        builder.button(text=_("✍️ Answer"), callback_data=AgencyWorkCb(action="answer", id=item.id))
        builder.button(
            text=_("↩️ Not our competence"), callback_data=AgencyWorkCb(action="return", id=item.id)
        )
        if item.extended_at is None:
            builder.button(
                text=_("⏳ Ask for more days"),
                callback_data=AgencyWorkCb(action="extend", id=item.id),
            )
        builder.adjust(1)
        await message.answer(
            f"<b>#{proposal.id}</b> · {status_name(proposal.status)}\n"
            f"{escape(text, quote=False)}\n{due_line(item.due_at, now, locale, tz)}",
            reply_markup=builder.as_markup(),
        )


async def on_press(
    callback: CallbackQuery,
    callback_data: AgencyWorkCb,
    user: User,
    session: AsyncSession,
    settings: Settings,
    state: FSMContext,
    tz: ZoneInfo,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    if message is None:
        return
    action = callback_data.action
    if action in ("event", "event_yes", "event_no"):
        if not users.can_organize(settings.admin_ids, user):
            no_longer_active(callback_answer)
            return
        await _on_event_forwarding(
            callback, message, action, callback_data.id, user, session, tz, i18n.current_locale
        )
        return
    if action == "forward":
        proposal = await session.get(Proposal, callback_data.id)
        agency = await session.get(Agency, int(callback_data.value or 0))
        if not users.can_organize(settings.admin_ids, user) or proposal is None or agency is None:
            no_longer_active(callback_answer)
            return
        try:
            forwarded = await agencies.forward(session, proposal, agency, user, tz)
        except InvalidInput:
            no_longer_active(callback_answer)
            return
        await drop_buttons(callback)
        await message.answer(
            _("Proposal #{id} is forwarded; the answer is due by {due}.").format(
                id=proposal.id, due=format_day(forwarded.due_at, i18n.current_locale, tz)
            )
        )
        return
    forwarding = await session.get(Forwarding, callback_data.id)
    if forwarding is None or not await agencies.is_representative(
        session, user, forwarding.agency_id
    ):
        no_longer_active(callback_answer)
        return
    if action == "answer":
        builder = InlineKeyboardBuilder()
        for outcome, label in OUTCOME_LABELS.items():
            builder.button(
                text=_(label),
                callback_data=AgencyWorkCb(action="outcome", id=forwarding.id, value=outcome),
            )
        builder.adjust(2)
        await message.answer(_("The outcome:"), reply_markup=builder.as_markup())
    elif action == "outcome":
        await drop_buttons(callback)
        await state.set_data({"forwarding_id": forwarding.id, "outcome": callback_data.value})
        if callback_data.value == "in-progress":
            await state.set_state(AgencyWork.next_update)
            await message.answer(
                _("By what date will you tell the author how it goes? For example: {day}").format(
                    day=f"{utcnow().astimezone(tz) + timedelta(days=30):%d.%m.%Y}"
                ),
                reply_markup=cancel_only(),
            )
            return
        await state.set_state(AgencyWork.answer_text)
        await message.answer(
            _("Write the answer; the author and the supporters will read it."),
            reply_markup=cancel_only(),
        )
    elif action == "nodoc":
        await drop_buttons(callback)
        await _send_answer(message, user, session, state, document_file_id=None)
    elif action == "return":
        await state.set_state(AgencyWork.return_reason)
        await state.set_data({"forwarding_id": forwarding.id})
        await message.answer(
            _("Why is it not your agency's competence? The organizers read it."),
            reply_markup=cancel_only(),
        )
    elif action == "extend":
        if forwarding.extended_at is not None:
            callback_answer.text = _("The due date of this item was already moved once.")
            callback_answer.show_alert = True
            return
        agency = await session.get(Agency, forwarding.agency_id)
        assert agency is not None
        await state.set_state(AgencyWork.extension_days)
        await state.set_data({"forwarding_id": forwarding.id, "max_days": agency.answer_days})
        await message.answer(
            _(
                "How many more days do you need? From 1 to {max}. It can be asked once; the "
                "author will see the new date and your reason."
            ).format(max=agency.answer_days),
            reply_markup=cancel_only(),
        )


async def _on_event_forwarding(
    callback: CallbackQuery,
    message: Message,
    action: str,
    event_id: int,
    organizer: User,
    session: AsyncSession,
    tz: ZoneInfo,
    locale: str,
) -> None:
    """All of an event's published proposals to their topics' agencies: a preview, then yes."""
    if action == "event_no":
        await drop_buttons(callback)
        await message.answer(_("Nothing was forwarded."))
        return
    if action == "event":
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
            agency = await session.get_one(Agency, agency_id)
            lines.append(f"• {escape(agency.short_name(locale), quote=False)}: {len(ids)}")
        builder = InlineKeyboardBuilder()
        builder.button(
            text=_("Yes, forward"), callback_data=AgencyWorkCb(action="event_yes", id=event_id)
        )
        builder.button(
            text=_("No, not now"), callback_data=AgencyWorkCb(action="event_no", id=event_id)
        )
        builder.adjust(2)
        await message.answer(
            "\n".join(lines) + _unrouted_line(plan.unrouted), reply_markup=builder.as_markup()
        )
        return
    await drop_buttons(callback)
    done = await agencies.forward_event(session, event_id, organizer, tz)
    await message.answer(
        _(
            "Forwarded: {count}. The authors are told, and the representatives have the items."
        ).format(count=done.routed)
        + _unrouted_line(done.unrouted)
    )


def _unrouted_line(proposal_ids: list[int]) -> str:
    if not proposal_ids:
        return ""
    return "\n" + _(
        "No agency for the topic of {ids}: forward them by hand with /forward and the number."
    ).format(ids=", ".join(f"#{i}" for i in proposal_ids[:30]))


async def on_next_update(message: Message, state: FSMContext, tz: ZoneInfo, i18n: I18n) -> None:
    try:
        day = validation.parse_day(message.text or "")
    except InvalidInput:
        await message.answer(_("Write the date as day.month.year, for example 25.12.2026."))
        return
    if day <= utcnow().astimezone(tz).date():
        await message.answer(_("The date must be in the future."))
        return
    await state.update_data(next_update_on=day.isoformat())
    await state.set_state(AgencyWork.answer_text)
    await message.answer(
        _("Write what is being done; the author and the supporters will read it, and the date.")
    )


async def on_answer_text(message: Message, state: FSMContext) -> None:
    text = (message.text or "").strip()
    if not text:
        await message.answer(
            _("Write the answer; the author and the supporters will read it."),
            reply_markup=cancel_only(),
        )
        return
    if len(text) > ANSWER_MAX:
        await message.answer(
            _("The answer is too long ({length} characters): at most {maximum}.").format(
                length=len(text), maximum=ANSWER_MAX
            )
        )
        return
    data = await state.get_data()
    await state.update_data(text=text)
    await state.set_state(AgencyWork.answer_document)
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("No document"), callback_data=AgencyWorkCb(action="nodoc", id=data["forwarding_id"])
    )
    await message.answer(
        _("Attach the official letter or another document (PDF, DOCX), or press «No document»."),
        reply_markup=builder.as_markup(),
    )


async def on_answer_document(
    message: Message, user: User, session: AsyncSession, state: FSMContext
) -> None:
    assert message.document is not None
    await _send_answer(message, user, session, state, message.document.file_id)


async def _send_answer(
    message: Message,
    user: User,
    session: AsyncSession,
    state: FSMContext,
    document_file_id: str | None,
) -> None:
    data = await state.get_data()
    next_update = data.get("next_update_on")
    try:
        await agencies.answer(
            session,
            data["forwarding_id"],
            user,
            data.get("text", ""),
            data["outcome"],
            document_file_id=document_file_id,
            next_update_on=date.fromisoformat(next_update) if next_update else None,
        )
    except (InvalidInput, NotAllowed, KeyError):
        await state.clear()
        await message.answer(_("This item cannot be answered any more."))
        return
    await state.clear()
    await message.answer(_("Thank you: the answer is sent to the author and the supporters."))


async def on_return_reason(
    message: Message, user: User, session: AsyncSession, state: FSMContext, settings: Settings
) -> None:
    data = await state.get_data()
    organizers = await agencies.organizer_ids(session, settings.admin_ids)
    try:
        await agencies.return_to_organizers(
            session, data["forwarding_id"], user, message.text or "", organizers
        )
    except (InvalidInput, NotAllowed):
        await state.clear()
        await message.answer(_("This item cannot be returned any more."))
        return
    await state.clear()
    await message.answer(_("Returned to the organizers with your reason."))


async def on_extension_days(message: Message, state: FSMContext) -> None:
    data = await state.get_data()
    text = (message.text or "").strip()
    if not text.isdigit() or not 1 <= int(text) <= data["max_days"]:
        await message.answer(_("Write a number from 1 to {max}.").format(max=data["max_days"]))
        return
    await state.update_data(days=int(text))
    await state.set_state(AgencyWork.extension_reason)
    await message.answer(
        _("Why do you need more time? The author will read it."), reply_markup=cancel_only()
    )


async def on_extension_reason(
    message: Message,
    user: User,
    session: AsyncSession,
    state: FSMContext,
    tz: ZoneInfo,
    i18n: I18n,
) -> None:
    data = await state.get_data()
    try:
        forwarding = await agencies.extend(
            session, data["forwarding_id"], user, data["days"], message.text or "", tz
        )
    except (InvalidInput, NotAllowed):
        await state.clear()
        await message.answer(_("The due date of this item cannot be moved any more."))
        return
    await state.clear()
    await message.answer(
        _("The new due date is {day}. The author is told, with your reason.").format(
            day=format_day(forwarding.due_at, i18n.current_locale, tz)
        )
    )
