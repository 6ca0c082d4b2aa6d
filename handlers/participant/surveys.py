"""A participant answers the short survey after an event: a rating from 1 to 5 (buttons on
the message the outbox sent), then one open question; both can be skipped."""

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards import surveys as kb
from bot.keyboards.polls import SurveyCb
from bot.keyboards.surveys import SurveyAction
from bot.services import surveys
from bot.services.errors import InvalidInput
from db.models import User
from handlers.common import NOT_A_COMMAND, drop_buttons, message_of, no_longer_active


class SurveyForm(StatesGroup):
    comment = State()


def router() -> Router:
    r = Router(name="surveys")
    r.callback_query.register(on_rate, SurveyCb.filter(F.action == SurveyAction.rate))
    r.callback_query.register(on_skip, SurveyCb.filter(F.action == SurveyAction.skip))
    r.callback_query.register(
        on_skip_comment, SurveyCb.filter(F.action == SurveyAction.skip_comment)
    )
    r.message.register(on_comment, SurveyForm.comment, F.text, NOT_A_COMMAND)
    r.message.register(on_not_text, SurveyForm.comment, NOT_A_COMMAND)
    return r


async def on_rate(
    callback: CallbackQuery,
    callback_data: SurveyCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    try:
        await surveys.rate(session, callback_data.event, user, callback_data.value)
    except InvalidInput:
        no_longer_active(callback_answer)
        return
    callback_answer.text = _("Thank you! Your rating: {rating} of 5.").format(
        rating=callback_data.value
    )
    await drop_buttons(callback)
    await state.set_state(SurveyForm.comment)
    await state.set_data({"event_id": callback_data.event})
    if message is not None:
        await message.answer(
            _(
                "One more question: what was most useful, and what should be done "
                "differently next time? Write a few words, or press «Skip»."
            ),
            reply_markup=kb.skip_comment(callback_data.event),
        )


async def on_skip(
    callback: CallbackQuery,
    callback_data: SurveyCb,
    session: AsyncSession,
    user: User,
    callback_answer: CallbackAnswer,
) -> None:
    try:
        await surveys.skip(session, callback_data.event, user)
    except InvalidInput:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    callback_answer.text = _("All right. Thank you!")


async def on_skip_comment(
    callback: CallbackQuery, state: FSMContext, callback_answer: CallbackAnswer
) -> None:
    await state.clear()
    await drop_buttons(callback)
    message = message_of(callback)
    if message is not None:
        await message.answer(_("Thank you for your answers!"))


async def on_comment(
    message: Message, state: FSMContext, session: AsyncSession, user: User
) -> None:
    data = await state.get_data()
    try:
        await surveys.comment(session, int(data.get("event_id", 0)), user, message.text or "")
    except InvalidInput as error:
        if error.reason == "survey_comment_too_long":
            await message.answer(
                _(
                    "That is too long ({length} characters): please keep it within {maximum}."
                ).format(length=error.details["length"], maximum=error.details["limit"])
            )
            return
        await state.clear()
        await message.answer(_("This survey is no longer active."))
        return
    await state.clear()
    await message.answer(_("Thank you! Your answer is saved."))


async def on_not_text(message: Message) -> None:
    await message.answer(_("Please write your answer as text, or press «Skip»."))
