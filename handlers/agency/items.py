"""A representative's open items: /items lists them, each with «Answer», «Not our competence»
and «Ask for more days» (the same buttons come under every notice of an item). A press starts
a reply, whose steps are in replies.py."""

from datetime import timedelta
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import BaseFilter, Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import Role, guard, restrict
from bot.keyboards import agencies as kb
from bot.keyboards.agencies import REPRESENTATIVE_ACTIONS, AgencyWorkCb
from bot.keyboards.agencies import AgencyWorkAction as Action
from bot.keyboards.common import cancel_only
from bot.notices.agencies import due_line
from bot.notices.proposals import status_name
from bot.services import agencies
from bot.text_split import shorten
from db.models import Forwarding, User, utcnow
from handlers.agency.replies import AgencyWork, send_answer
from handlers.common import drop_buttons, message_of

ITEMS_SHOWN = 10


class OwnItem(BaseFilter):
    """A press on an item of an agency the person represents, on a message still there:
    supplies `message` and `forwarding`. Anything else goes on to the fallback, which says
    the button is no longer active."""

    async def __call__(
        self,
        callback: CallbackQuery,
        callback_data: AgencyWorkCb,
        user: User,
        session: AsyncSession,
    ) -> bool | dict[str, Any]:
        message = message_of(callback)
        forwarding = await agencies.representative_item(session, user, callback_data.id)
        if message is None or forwarding is None:
            return False
        return {"message": message, "forwarding": forwarding}


def router() -> Router:
    r = Router(name="agency_items")
    r.message.register(on_items, Command("items"))
    restrict(r, Role.REPRESENTATIVE)
    # The agw prefix is shared with the organizers' forwarding buttons: these actions are
    # claimed one by one (registered after restrict(), which would claim the whole prefix).
    claim = guard(Role.REPRESENTATIVE, AgencyWorkCb, REPRESENTATIVE_ACTIONS)
    own = (claim, OwnItem())
    r.callback_query.register(on_answer, AgencyWorkCb.filter(F.action == Action.answer), *own)
    r.callback_query.register(on_outcome, AgencyWorkCb.filter(F.action == Action.outcome), *own)
    r.callback_query.register(on_no_document, AgencyWorkCb.filter(F.action == Action.nodoc), *own)
    r.callback_query.register(on_return, AgencyWorkCb.filter(F.action == Action.return_), *own)
    r.callback_query.register(on_extend, AgencyWorkCb.filter(F.action == Action.extend), *own)
    return r


async def on_items(
    message: Message, user: User, session: AsyncSession, i18n: I18n, tz: ZoneInfo
) -> None:
    cards, total = await agencies.item_cards(session, user, ITEMS_SHOWN)
    if not cards:
        await message.answer(_("Your agency has no open items."))
        return
    now, locale = utcnow(), i18n.current_locale
    for item, proposal in cards:
        text = shorten(proposal.text, 700)
        await message.answer(
            f"<b>#{proposal.id}</b> · {status_name(proposal.status)}\n"
            f"{escape(text, quote=False)}\n{due_line(item.due_at, now, locale, tz)}",
            reply_markup=kb.item_actions(item),
        )
    if total > len(cards):
        # An answered item leaves the list: sent again, /items shows the next ones.
        await message.answer(
            ngettext(
                "Shown: the {shown} due first of {n} open item. Answer them and send /items "
                "again for the next.",
                "Shown: the {shown} due first of {n} open items. Answer them and send /items "
                "again for the next.",
                total,
            ).format(shown=len(cards), n=total)
        )


async def on_answer(_callback: CallbackQuery, message: Message, forwarding: Forwarding) -> None:
    await message.answer(_("The outcome:"), reply_markup=kb.outcomes(forwarding.id))


async def on_outcome(
    callback: CallbackQuery,
    callback_data: AgencyWorkCb,
    message: Message,
    forwarding: Forwarding,
    state: FSMContext,
    tz: ZoneInfo,
) -> None:
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


async def on_no_document(
    callback: CallbackQuery, message: Message, user: User, session: AsyncSession, state: FSMContext
) -> None:
    await drop_buttons(callback)
    await send_answer(message, user, session, state, document_file_id=None)


async def on_return(
    _callback: CallbackQuery, message: Message, forwarding: Forwarding, state: FSMContext
) -> None:
    await state.set_state(AgencyWork.return_reason)
    await state.set_data({"forwarding_id": forwarding.id})
    await message.answer(
        _("Why is it not your agency's competence? The organizers read it."),
        reply_markup=cancel_only(),
    )


async def on_extend(
    _callback: CallbackQuery,
    message: Message,
    forwarding: Forwarding,
    session: AsyncSession,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    if forwarding.extended_at is not None:
        callback_answer.text = _("The due date of this item was already moved once.")
        callback_answer.show_alert = True
        return
    agency = await agencies.get_agency(session, forwarding.agency_id)
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
