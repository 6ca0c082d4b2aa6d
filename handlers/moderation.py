"""Organizers moderate proposals: the queue oldest first; approve, reject with a reason the
author reads, fix topic and region, approve a whole page; merge a duplicate (/merge)."""

from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.keyboards.callbacks import ModerateCb
from bot.keyboards.common import cancel_only
from bot.services import button_lists, proposals, reference, users
from bot.services.errors import InvalidInput
from bot.services.proposal_status import StatusChangeNotAllowed
from db.models import Proposal, User
from handlers.common import drop_buttons, message_of, no_longer_active, organizers_only
from handlers.proposal_cards import send_card


class Moderation(StatesGroup):
    reason = State()


def router() -> Router:
    r = Router(name="moderation")
    r.message.register(on_queue, Command("moderate"))
    r.message.register(on_merge, Command("merge"))
    r.message.register(on_reason, Moderation.reason, F.text, ~F.text.startswith("/"))
    r.callback_query.register(on_action, ModerateCb.filter())
    return r


async def on_queue(
    message: Message, user: User, session: AsyncSession, settings: Settings, i18n: I18n
) -> None:
    if not await organizers_only(message, settings, user):
        return
    await _show_queue(message, session, user, i18n.current_locale, 0, settings.tz)


async def _show_queue(
    message: Message, session: AsyncSession, user: User, locale: str, after_id: int, tz: ZoneInfo
) -> None:
    items, total = await proposals.moderation_queue(session, after_id)
    if not total:
        await message.answer(_("No proposals wait for moderation."))
        return
    if not items:
        await message.answer(_("No more proposals wait after these. /moderate starts again."))
        return
    await message.answer(_("<b>Waiting for moderation</b>: {count}").format(count=total))
    for item in items:
        builder = InlineKeyboardBuilder()
        builder.button(text=_("✅ Publish"), callback_data=ModerateCb(action="approve", id=item.id))
        builder.button(text=_("❌ Reject"), callback_data=ModerateCb(action="reject", id=item.id))
        builder.button(text=_("🏷 Fix tags"), callback_data=ModerateCb(action="topic", id=item.id))
        builder.adjust(2, 1)
        await send_card(
            message, session, item, user, locale, organizer=True, tz=tz, markup=builder.as_markup()
        )
    builder = InlineKeyboardBuilder()
    token = await button_lists.keep_ids(session, [item.id for item in items])
    builder.button(
        text=ngettext(
            "✅ Publish the {count} above", "✅ Publish all {count} above", len(items)
        ).format(count=len(items)),
        callback_data=ModerateCb(action="approve_page", value=token),
    )
    if len(items) == proposals.PAGE_SIZE:
        builder.button(text=_("Next ▶"), callback_data=ModerateCb(action="page", id=items[-1].id))
    builder.adjust(1)
    await message.answer(_("Or all at once:"), reply_markup=builder.as_markup())


async def on_action(
    callback: CallbackQuery,
    callback_data: ModerateCb,
    user: User,
    session: AsyncSession,
    settings: Settings,
    state: FSMContext,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    if message is None or not users.can_organize(settings.admin_ids, user):
        no_longer_active(callback_answer)
        return
    action, locale = callback_data.action, i18n.current_locale
    if action == "page":
        await drop_buttons(callback)
        await _show_queue(message, session, user, locale, callback_data.id, settings.tz)
        return
    if action == "approve_page":
        published = 0
        for proposal_id in await button_lists.read_ids(session, callback_data.value):
            proposal = await session.get(Proposal, proposal_id)
            if proposal is not None and proposal.status == "submitted":
                await proposals.approve(session, proposal, user)
                published += 1
        await drop_buttons(callback)
        await message.answer(_("Published: {count}.").format(count=published))
        return
    proposal = await session.get(Proposal, callback_data.id)
    if proposal is None:
        no_longer_active(callback_answer)
        return
    try:
        if action == "approve":
            await proposals.approve(session, proposal, user)
            await drop_buttons(callback)
            await message.answer(_("Proposal #{id} is published.").format(id=proposal.id))
        elif action == "reject":
            if proposal.status != "submitted":
                raise StatusChangeNotAllowed(proposal.status)
            await state.set_state(Moderation.reason)
            await state.set_data({"proposal_id": proposal.id})
            await message.answer(
                _("Why is proposal #{id} rejected? The author will read your answer.").format(
                    id=proposal.id
                ),
                reply_markup=cancel_only(),
            )
        elif action == "topic":
            builder = InlineKeyboardBuilder()
            for topic in await reference.topics(session):
                builder.button(
                    text=topic.name(locale),
                    callback_data=ModerateCb(action="region", id=proposal.id, value=topic.code),
                )
            builder.adjust(1)
            await message.answer(_("The right topic:"), reply_markup=builder.as_markup())
        elif action == "region":
            builder = InlineKeyboardBuilder()
            for region in await reference.all_regions(session):
                builder.button(
                    text=region.name(locale),
                    callback_data=ModerateCb(
                        action="retag", id=proposal.id, value=f"{callback_data.value}.{region.code}"
                    ),
                )
            builder.adjust(2)
            await drop_buttons(callback)
            await message.answer(_("The right region:"), reply_markup=builder.as_markup())
        elif action == "retag":
            topic_code, _sep, region_code = callback_data.value.partition(".")
            await proposals.retag(session, proposal, topic_code=topic_code, region_code=region_code)
            await drop_buttons(callback)
            await message.answer(_("Tags of proposal #{id} are fixed.").format(id=proposal.id))
    except (StatusChangeNotAllowed, InvalidInput):
        no_longer_active(callback_answer)


async def on_reason(
    message: Message, user: User, session: AsyncSession, settings: Settings, state: FSMContext
) -> None:
    data = await state.get_data()
    proposal = await session.get(Proposal, data.get("proposal_id", 0))
    if proposal is None or not users.can_organize(settings.admin_ids, user):
        await state.clear()
        return
    try:
        await proposals.reject(session, proposal, user, message.text or "")
    except InvalidInput:
        await message.answer(_("Please write the reason in 3 to 1000 characters."))
        return
    except StatusChangeNotAllowed:
        await state.clear()
        await message.answer(_("This proposal was already moderated."))
        return
    await state.clear()
    await message.answer(
        _("Proposal #{id} is rejected; the author is told why.").format(id=proposal.id)
    )


async def on_merge(
    message: Message, command: CommandObject, user: User, session: AsyncSession, settings: Settings
) -> None:
    if not await organizers_only(message, settings, user):
        return
    parts = (command.args or "").split()
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        await message.answer(_("Write it like this: /merge 12 7 (joins #12 into #7)."))
        return
    duplicate = await session.get(Proposal, int(parts[0]))
    target = await session.get(Proposal, int(parts[1]))
    if duplicate is None or target is None:
        await message.answer(
            _("There is no such proposal. Published ones are in /proposals, yours in /myproposals.")
        )
        return
    try:
        count = await proposals.merge(session, duplicate, target, user)
    except InvalidInput:
        await message.answer(_("These two cannot be joined."))
        return
    await message.answer(
        _("#{dup} is joined into #{target}; it has {count} supporters now.").format(
            dup=duplicate.id, target=target.id, count=count
        )
    )
