"""The steps of a representative's reply to an item, after a button of items.py: the answer
(the date of the next update when it is in progress, the text, a document), the reason of
«Not our competence», or the days and reason of «Ask for more days». /cancel stops any."""

from datetime import date
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.i18n import format_day
from bot.keyboards import agencies as kb
from bot.keyboards.common import cancel_only
from bot.services import agencies, validation
from bot.services.errors import InvalidInput, NotAllowed
from db.models import User, utcnow

ANSWER_MAX = 4000


class AgencyWork(StatesGroup):
    """Stored as "AgencyWork:<step>": the names stay, for people half-way through a reply."""

    next_update = State()
    answer_text = State()
    answer_document = State()
    return_reason = State()
    extension_days = State()
    extension_reason = State()


def router() -> Router:
    r = Router(name="agency_replies")
    r.message.register(on_next_update, AgencyWork.next_update, F.text)
    r.message.register(on_answer_text, AgencyWork.answer_text, F.text)
    r.message.register(on_answer_document, AgencyWork.answer_document, F.document)
    r.message.register(on_return_reason, AgencyWork.return_reason, F.text)
    r.message.register(on_extension_days, AgencyWork.extension_days, F.text)
    r.message.register(on_extension_reason, AgencyWork.extension_reason, F.text)
    return r


async def on_next_update(message: Message, state: FSMContext, tz: ZoneInfo) -> None:
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
    await message.answer(
        _("Attach the official letter or another document (PDF, DOCX), or press «No document»."),
        reply_markup=kb.no_document(data["forwarding_id"]),
    )


async def on_answer_document(
    message: Message, user: User, session: AsyncSession, state: FSMContext
) -> None:
    assert message.document is not None
    await send_answer(message, user, session, state, message.document.file_id)


async def send_answer(
    message: Message,
    user: User,
    session: AsyncSession,
    state: FSMContext,
    document_file_id: str | None,
) -> None:
    """The answer goes out (with the document, if any); the reply is over either way."""
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
