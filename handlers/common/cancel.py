"""One way to stop every multi-step flow: /cancel or the Cancel button, anywhere in it
(registration, the event form, a proposal, an announcement, a summary, a reject reason, an
agency's answer...). Nothing half-typed is kept."""

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot.keyboards import common as kb
from bot.keyboards.callbacks import BroadcastCb, CancelCb, ProposeCb
from handlers.common import WithMessage, drop_buttons, no_longer_active


def router() -> Router:
    r = Router(name="cancel")
    r.message.register(on_cancel_command, Command("cancel"))
    # The older Cancel buttons of the proposal form and of announcements do the same. An old
    # button whose message is gone is told so here, not passed on to those forms.
    for button in (
        CancelCb.filter(),
        ProposeCb.filter(F.step == "cancel"),
        BroadcastCb.filter(F.action == "cancel"),
    ):
        r.callback_query.register(on_cancel_button, button, WithMessage(required=False))
    return r


async def _stop(message: Message, state: FSMContext) -> bool:
    if await state.get_state() is None:
        return False
    await state.clear()
    await message.answer(_("Stopped. Nothing was saved or sent."), reply_markup=kb.main_menu())
    return True


async def on_cancel_command(message: Message, state: FSMContext) -> None:
    if not await _stop(message, state):
        await message.answer(_("There is nothing to stop."), reply_markup=kb.main_menu())


async def on_cancel_button(
    callback: CallbackQuery,
    message: Message | None,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    if message is None or await state.get_state() is None:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    await _stop(message, state)
