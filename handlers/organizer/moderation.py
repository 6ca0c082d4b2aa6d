"""Organizers moderate proposals: /moderate shows the queue oldest first, a page at a time
(the page's ids are kept on the server for «Publish all»); approve, reject with a reason the
author reads, fix topic and region, approve a whole page; /merge joins a duplicate."""

from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import BaseFilter, Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.keyboards import moderation as kb
from bot.keyboards.callbacks import ModerateCb
from bot.keyboards.common import cancel_only
from bot.keyboards.moderation import ModerateAction
from bot.services import button_lists, moderation, proposals, reference
from bot.services.errors import InvalidInput
from bot.services.proposal_status import StatusChangeNotAllowed
from db.models import Proposal, User
from handlers.common import NOT_A_COMMAND, no_longer_active
from handlers.organizer.press import Press
from handlers.participant.proposals_card import send_card


class Moderation(StatesGroup):
    reason = State()


def register(r: Router) -> None:
    r.message.register(on_queue, Command("moderate"))
    r.message.register(on_merge, Command("merge"))
    r.message.register(on_reason, Moderation.reason, F.text, NOT_A_COMMAND)
    r.callback_query.register(on_page, ModerateCb.filter(F.action == ModerateAction.PAGE))
    r.callback_query.register(
        on_approve_page, ModerateCb.filter(F.action == ModerateAction.APPROVE_PAGE)
    )
    for action, handler in (
        (ModerateAction.APPROVE, on_approve),
        (ModerateAction.REJECT, on_reject),
        (ModerateAction.TOPIC, on_topic),
        (ModerateAction.REGION, on_region),
        (ModerateAction.RETAG, on_retag),
    ):
        r.callback_query.register(handler, ModerateCb.filter(F.action == action), ProposalOf())


class ProposalOf(BaseFilter):
    """The proposal a button is about, as `proposal`; a gone one passes on to the fallback
    (which says the button is no longer active)."""

    async def __call__(
        self, callback: CallbackQuery, callback_data: ModerateCb, session: AsyncSession
    ) -> bool | dict[str, Any]:
        proposal = await session.get(Proposal, callback_data.id)
        return False if proposal is None else {"proposal": proposal}


async def on_queue(
    message: Message, user: User, session: AsyncSession, settings: Settings, i18n: I18n
) -> None:
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
        await send_card(
            message,
            session,
            item,
            user,
            locale,
            organizer=True,
            tz=tz,
            markup=kb.queue_item(item.id),
        )
    token = await button_lists.keep_ids(session, [item.id for item in items])
    last_id = items[-1].id if len(items) == proposals.PAGE_SIZE else None
    await message.answer(
        _("Or all at once:"), reply_markup=kb.queue_footer(len(items), token, last_id)
    )


async def on_page(
    callback: CallbackQuery, press: Press, callback_data: ModerateCb, settings: Settings
) -> None:
    await press.drop_buttons()
    await _show_queue(
        press.message, press.session, press.user, press.locale, callback_data.id, settings.tz
    )


async def on_approve_page(callback: CallbackQuery, press: Press, callback_data: ModerateCb) -> None:
    published = await moderation.approve_kept(press.session, callback_data.value, press.user)
    await press.drop_buttons()
    await press.message.answer(_("Published: {count}.").format(count=published))


async def on_approve(
    callback: CallbackQuery, press: Press, proposal: Proposal, callback_answer: CallbackAnswer
) -> None:
    try:
        await proposals.approve(press.session, proposal, press.user)
    except (StatusChangeNotAllowed, InvalidInput):
        no_longer_active(callback_answer)
        return
    await press.drop_buttons()
    await press.message.answer(_("Proposal #{id} is published.").format(id=proposal.id))


async def on_reject(
    callback: CallbackQuery, press: Press, proposal: Proposal, callback_answer: CallbackAnswer
) -> None:
    if proposal.status != "submitted":
        no_longer_active(callback_answer)
        return
    await press.state.set_state(Moderation.reason)
    await press.state.set_data({"proposal_id": proposal.id})
    await press.message.answer(
        _("Why is proposal #{id} rejected? The author will read your answer.").format(
            id=proposal.id
        ),
        reply_markup=cancel_only(),
    )


async def on_topic(callback: CallbackQuery, press: Press, proposal: Proposal) -> None:
    topics = await reference.topics(press.session)
    options = [(topic.code, topic.name(press.locale)) for topic in topics]
    await press.message.answer(_("The right topic:"), reply_markup=kb.topics(proposal.id, options))


async def on_region(
    callback: CallbackQuery, press: Press, callback_data: ModerateCb, proposal: Proposal
) -> None:
    regions = await reference.all_regions(press.session)
    options = [(region.code, region.name(press.locale)) for region in regions]
    await press.drop_buttons()
    await press.message.answer(
        _("The right region:"),
        reply_markup=kb.regions(proposal.id, callback_data.value, options),
    )


async def on_retag(
    callback: CallbackQuery,
    press: Press,
    callback_data: ModerateCb,
    proposal: Proposal,
    callback_answer: CallbackAnswer,
) -> None:
    topic_code, _sep, region_code = callback_data.value.partition(".")
    try:
        await proposals.retag(
            press.session, proposal, topic_code=topic_code, region_code=region_code
        )
    except (StatusChangeNotAllowed, InvalidInput):
        no_longer_active(callback_answer)
        return
    await press.drop_buttons()
    await press.message.answer(_("Tags of proposal #{id} are fixed.").format(id=proposal.id))


async def on_reason(message: Message, user: User, session: AsyncSession, state: FSMContext) -> None:
    data = await state.get_data()
    proposal = await session.get(Proposal, data.get("proposal_id", 0))
    if proposal is None:
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
    message: Message, command: CommandObject, user: User, session: AsyncSession
) -> None:
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
