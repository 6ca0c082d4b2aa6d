"""Organizers create or edit an event with a form: one step after another (the table in
event_form_steps.py, run by the wizard engine), then a preview, then publish, save as a draft
or discard. Editing an event opens the preview at once; a field's button asks that one step
again. What the engine does not do is here: the start, the topics (several picks, then
«Done»), the preview and its edit menu, and saving."""

from contextlib import suppress

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot.keyboards import common as common_kb
from bot.keyboards import events as kb
from bot.keyboards.events import FormCb, OrgCb
from bot.keyboards.organizer_events import FormField, OrgAction, edit_menu, preview_markup
from bot.services import events
from bot.services.errors import InvalidInput
from db.models import Event
from handlers.common import NOT_A_COMMAND
from handlers.organizer.event_card import event_of, show_event
from handlers.organizer.event_form_steps import WIZARD, EventForm, show_preview, topics_keyboard
from handlers.organizer.press import Press
from handlers.participant.event_cards import explain_event
from handlers.wizard import Conversation, Conversing, Input

PICKED = {FormField.KIND, FormField.FORMAT, FormField.REGION}


def register(r: Router) -> None:
    conv = Conversing()
    r.callback_query.register(on_new, OrgCb.filter(F.action == OrgAction.NEW), conv)
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
        r.callback_query.register(handler, form, FormCb.filter(field), conv)
    r.message.register(on_form_text, EventForm.filling, F.text, NOT_A_COMMAND, conv)


async def on_new(callback: CallbackQuery, press: Press, conv: Conversation) -> None:
    await conv.state.set_data({"answers": {}, "event_id": None})
    await press.message.answer(
        _("A new event. You can stop at any time with /organize."),
        reply_markup=common_kb.cancel_only(),
    )
    await WIZARD.enter(conv, WIZARD.steps[0])


async def on_edit(callback: CallbackQuery, press: Press, callback_data: OrgCb) -> None:
    if not (event := await event_of(press.message, press.session, callback_data.id)):
        return
    answers = events.answers_of(await events.draft_of(press.session, event))
    await press.state.set_state(EventForm.preview)
    await press.state.set_data({"step": "", "answers": answers, "event_id": event.id})
    await press.message.answer(_("What would you like to change?"), reply_markup=edit_menu())


async def on_form_text(message: Message, conv: Conversation) -> None:
    step = await WIZARD.current(conv.state)
    if step is not None and step.input is not Input.TEXT:
        await message.answer(_("Please choose with the buttons above."))
        return
    await WIZARD.on_text(message, conv)


# --- the form's buttons ------------------------------------------------------------------------


async def on_pick(
    callback: CallbackQuery,
    callback_answer: CallbackAnswer,
    conv: Conversation,
    callback_data: FormCb,
) -> None:
    """A kind, a format or a region: the answer of the step with that name."""
    await WIZARD.choose(callback, callback_answer, conv, callback_data.field, callback_data.value)


async def on_skip(
    callback: CallbackQuery, callback_answer: CallbackAnswer, conv: Conversation
) -> None:
    step = await WIZARD.current(conv.state)
    await WIZARD.skip(callback, callback_answer, conv, step.field if step else "")


async def _on_topics(press: Press, conv: Conversation) -> bool:
    """Whether the form is at the topics; an old button is refused."""
    step = await WIZARD.current(conv.state)
    if step is None or step.field != "topics":
        await press.callback.answer(_("This button is no longer active."), show_alert=True)
        return False
    return True


async def on_topic(
    callback: CallbackQuery, press: Press, conv: Conversation, callback_data: FormCb
) -> None:
    if not await _on_topics(press, conv):
        return
    answers = WIZARD.answers(await conv.state.get_data())
    value, chosen = callback_data.value, list(answers.get("topics") or [])
    chosen = [code for code in chosen if code != value] if value in chosen else [*chosen, value]
    await WIZARD.store(conv.state, {"topics": chosen})
    # The same message shows the new ticks (no new message per press).
    with suppress(TelegramBadRequest):
        await press.message.edit_reply_markup(reply_markup=await topics_keyboard(conv))


async def on_done(callback: CallbackQuery, press: Press, conv: Conversation) -> None:
    if not await _on_topics(press, conv):
        return
    if not WIZARD.answers(await conv.state.get_data()).get("topics"):
        await press.message.answer(_("Choose at least one topic."))
        return
    await press.drop_buttons()
    await WIZARD.answered(conv, "topics", {})


async def on_edit_field(
    callback: CallbackQuery, press: Press, conv: Conversation, callback_data: FormCb
) -> None:
    await press.drop_buttons()
    await WIZARD.enter(conv, WIZARD.first_step(callback_data.value))


async def on_preview(callback: CallbackQuery, press: Press, conv: Conversation) -> None:
    await conv.state.set_state(EventForm.preview)
    answers = WIZARD.answers(await conv.state.get_data())
    await show_preview(press.message, press.session, press.locale, press.tz, answers)


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
