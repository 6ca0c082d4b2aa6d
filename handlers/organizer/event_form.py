"""Organizers create or edit an event with a form: one step after another (the table is in
event_form_steps.py), then a preview, then publish, save as a draft or discard. Editing an
event opens the preview at once; a field's button asks that one step again."""

from contextlib import suppress
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards import common as common_kb
from bot.keyboards import events as kb
from bot.keyboards.events import FormCb, OrgCb
from bot.keyboards.organizer_events import FormField, OrgAction, edit_menu, preview_markup
from bot.services import events
from bot.services.errors import InvalidInput
from db.models import Event
from handlers.common import NOT_A_COMMAND
from handlers.organizer.event_card import event_of, show_event
from handlers.organizer.event_form_steps import BUTTON_STEPS, ask, show_preview, topic_options
from handlers.organizer.press import Press
from handlers.participant.event_cards import explain_event

PICKED = {FormField.KIND, FormField.FORMAT, FormField.REGION}


class EventForm(StatesGroup):
    filling = State()
    preview = State()


def register(r: Router) -> None:
    r.callback_query.register(on_new, OrgCb.filter(F.action == OrgAction.NEW))
    r.callback_query.register(on_edit, OrgCb.filter(F.action == OrgAction.EDIT))
    form = StateFilter(EventForm.filling, EventForm.preview)
    for field, handler in (
        (F.field == FormField.EDIT, on_edit_field),
        (F.field == FormField.PREVIEW, on_preview),
        (F.field == FormField.SAVE, on_save),
        (F.field == FormField.TOPIC, on_topic),
        (F.field == FormField.DONE, on_done),
        (F.field == FormField.SKIP, on_skip),
        (F.field.in_(PICKED), on_pick),
    ):
        r.callback_query.register(handler, form, FormCb.filter(field))
    r.message.register(on_form_text, EventForm.filling, F.text, NOT_A_COMMAND)


async def on_new(callback: CallbackQuery, press: Press) -> None:
    await press.state.set_state(EventForm.filling)
    await press.state.set_data({"step": events.STEPS[0], "answers": {}, "event_id": None})
    await press.message.answer(
        _("A new event. You can stop at any time with /organize."),
        reply_markup=common_kb.cancel_only(),
    )
    await ask(press.message, press.session, press.locale, events.STEPS[0], {})


async def on_edit(callback: CallbackQuery, press: Press, callback_data: OrgCb) -> None:
    if not (event := await event_of(press.message, press.session, callback_data.id)):
        return
    answers = events.answers_of(await events.draft_of(press.session, event))
    await press.state.set_state(EventForm.preview)
    await press.state.set_data({"step": "", "answers": answers, "event_id": event.id})
    await press.message.answer(_("What would you like to change?"), reply_markup=edit_menu())


async def on_form_text(
    message: Message, session: AsyncSession, state: FSMContext, i18n: I18n, tz: ZoneInfo
) -> None:
    data = await state.get_data()
    step, answers = data["step"], data["answers"]
    if step in BUTTON_STEPS:
        await message.answer(_("Please choose with the buttons above."))
        return
    try:
        answers[step] = events.parse_answer(step, message.text or "", answers, tz)
    except InvalidInput as error:
        await message.answer(explain_event(error))
        return
    await advance(message, session, state, i18n.current_locale, tz, data, answers)


async def advance(
    message: Message,
    session: AsyncSession,
    state: FSMContext,
    locale: str,
    tz: ZoneInfo,
    data: dict[str, Any],
    answers: dict[str, Any],
) -> None:
    """After an answer: the next step when creating, the preview when editing or at the end."""
    step = data["step"]
    if step == "title_ru" and not (answers.get("title_ky") or answers.get("title_ru")):
        answers.pop(step, None)
        await state.update_data(answers=answers)
        await message.answer(explain_event(InvalidInput("title_required")))
        await ask(message, session, locale, "title_ru", answers)
        return
    following = None if data.get("event_id") else events.next_step(step, answers)
    if following is None:
        await state.set_state(EventForm.preview)
        await state.update_data(step="", answers=answers)
        await show_preview(message, session, locale, tz, answers)
        return
    await state.update_data(step=following, answers=answers)
    await ask(message, session, locale, following, answers)


# --- the form's buttons: each reads the saved data, the step and the answers first ---------------


async def _form(press: Press) -> tuple[dict[str, Any], str, dict[str, Any]]:
    data = await press.state.get_data()
    return data, data.get("step", ""), data.get("answers", {})


async def _stale(press: Press) -> None:
    await press.callback.answer(_("This button is no longer active."), show_alert=True)


async def _answered(press: Press, data: dict[str, Any], answers: dict[str, Any]) -> None:
    """A button answered the step: on to the next one (or the preview)."""
    await press.drop_buttons()
    await advance(press.message, press.session, press.state, press.locale, press.tz, data, answers)


async def on_edit_field(callback: CallbackQuery, press: Press, callback_data: FormCb) -> None:
    _data, _step, answers = await _form(press)
    await press.state.set_state(EventForm.filling)
    await press.state.update_data(step=callback_data.value)
    await press.drop_buttons()
    await ask(press.message, press.session, press.locale, callback_data.value, answers)


async def on_preview(callback: CallbackQuery, press: Press) -> None:
    _data, _step, answers = await _form(press)
    await press.state.set_state(EventForm.preview)
    await show_preview(press.message, press.session, press.locale, press.tz, answers)


async def on_topic(callback: CallbackQuery, press: Press, callback_data: FormCb) -> None:
    _data, step, answers = await _form(press)
    if step != "topics":
        await _stale(press)
        return
    value, chosen = callback_data.value, list(answers.get("topics") or [])
    chosen = [code for code in chosen if code != value] if value in chosen else [*chosen, value]
    answers["topics"] = chosen
    await press.state.update_data(answers=answers)
    options = await topic_options(press.session, press.locale)
    # The same message shows the new ticks (no new message per press).
    with suppress(TelegramBadRequest):
        await press.message.edit_reply_markup(
            reply_markup=kb.form_pick("topic", options, chosen=frozenset(chosen))
        )


async def on_done(callback: CallbackQuery, press: Press) -> None:
    data, step, answers = await _form(press)
    if step != "topics":
        await _stale(press)
    elif not answers.get("topics"):
        await press.message.answer(_("Choose at least one topic."))
    else:
        await _answered(press, data, answers)


async def on_skip(callback: CallbackQuery, press: Press) -> None:
    data, step, answers = await _form(press)
    if step not in events.SKIPPABLE:
        await _stale(press)
        return
    answers[step] = None
    await _answered(press, data, answers)


async def on_pick(callback: CallbackQuery, press: Press, callback_data: FormCb) -> None:
    """A kind, a format or a region: the answer of the step with that name."""
    data, step, answers = await _form(press)
    if step != callback_data.field:
        await _stale(press)
        return
    answers[step] = callback_data.value
    await _answered(press, data, answers)


async def on_save(callback: CallbackQuery, press: Press, callback_data: FormCb) -> None:
    """Publish, save as a draft, or discard (callback_data.value)."""
    message, session, state = press.message, press.session, press.state
    await press.drop_buttons()
    data, how = await state.get_data(), callback_data.value
    if how == "discard":
        await state.clear()
        await message.answer(_("Discarded. Nothing was saved."), reply_markup=kb.organizer_menu())
        return
    existing = await session.get(Event, data["event_id"]) if data.get("event_id") else None
    try:
        event = await events.save_event(
            session,
            events.draft_from(data["answers"]),
            author=press.user,
            publish=how == "publish",
            tz=press.tz,
            event=existing,
        )
    except InvalidInput as error:
        await message.answer(explain_event(error))
        await message.answer(_("Change a field:"), reply_markup=preview_markup())
        return
    await state.clear()
    await message.answer(
        _("Published. Participants can now see it and register.")
        if event.status == events.PUBLISHED
        else _("Saved as a draft.")
    )
    await show_event(message, session, event, press.locale, press.tz)
