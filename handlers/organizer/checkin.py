"""Organizers at the door: /checkin (or «Check a code» in /organize) asks for the code a
participant shows and marks their attendance; codes are taken one after another until
/organize or /cancel."""

from html import escape

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards import common as common_kb
from bot.keyboards.events import OrgCb
from bot.keyboards.organizer_events import OrgAction
from bot.services import events
from bot.services.errors import InvalidInput
from handlers.common import NOT_A_COMMAND
from handlers.organizer.press import Press
from handlers.participant.event_cards import explain_event


class CheckIn(StatesGroup):
    code = State()


def register(r: Router) -> None:
    r.message.register(on_checkin_command, Command("checkin"))
    r.callback_query.register(on_checkin_button, OrgCb.filter(F.action == OrgAction.CHECKIN))
    r.message.register(on_checkin_code, CheckIn.code, F.text, NOT_A_COMMAND)


async def on_checkin_command(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    state: FSMContext,
    i18n: I18n,
) -> None:
    await state.set_state(CheckIn.code)
    if command.args:  # "/checkin K7M2QX": the code typed with the command
        await _check_code(message, session, command.args.strip(), i18n)
        return
    await message.answer(_("Send the code a participant shows (for example K7M2QX)."))


async def on_checkin_button(callback: CallbackQuery, press: Press) -> None:
    await press.state.set_state(CheckIn.code)
    await press.message.answer(
        _("Send the code a participant shows (for example K7M2QX)."),
        reply_markup=common_kb.cancel_only(),
    )


async def on_checkin_code(message: Message, session: AsyncSession, i18n: I18n) -> None:
    await _check_code(message, session, message.text or "", i18n)


async def _check_code(message: Message, session: AsyncSession, code: str, i18n: I18n) -> None:
    try:
        _registration, person, event, first_time = await events.check_in(session, code)
    except InvalidInput as error:
        await message.answer(
            explain_event(error) + "\n" + _("Send another code, or /organize to stop.")
        )
        return
    template = (
        _("✅ {name}: welcome to «{title}».")
        if first_time
        else _("{name} was already checked in to «{title}».")
    )
    await message.answer(
        template.format(
            name=escape(person.full_name or "—", quote=False),
            title=escape(event.title(i18n.current_locale), quote=False),
        )
        + "\n"
        + _("Send the next code, or /organize to stop.")
    )
