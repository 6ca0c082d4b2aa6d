"""Organizers compose an announcement (/announce) in Kyrgyz and Russian, may attach a photo
or a document, choose its audience, see the preview and how many it reaches, send it, watch
its progress and may stop it.

The form is a table of steps (`STEPS`) run by the wizard engine (handlers/wizard.py); its
answers are the conversation data itself (`text_ky`, `text_ru`, `attachment_kind`,
`attachment_ref`, `audience`), as in every earlier version: a person half way through goes
on."""

from functools import partial
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.i18n import N_
from bot.keyboards import announcements as kb
from bot.keyboards.announcements import BroadcastAction
from bot.keyboards.audience import audience_values
from bot.keyboards.callbacks import BroadcastCb, SkipCb
from bot.keyboards.common import LANGUAGE_LABELS, skip_only
from bot.services import broadcasts, events, reference
from bot.services.broadcasts import Audience
from bot.services.errors import InvalidInput
from db.models import Broadcast, utcnow
from handlers.common import NOT_A_COMMAND, no_longer_active
from handlers.organizer.press import Press
from handlers.wizard import (
    Conversation,
    Conversing,
    Input,
    Step,
    Values,
    Wizard,
    conversation_of,
    fixed,
    into,
)


class Compose(StatesGroup):
    text_ky = State()
    text_ru = State()
    attachment = State()
    audience = State()
    confirm = State()


def register(r: Router) -> None:
    typing = StateFilter(Compose.text_ky, Compose.text_ru, Compose.attachment)
    conv = Conversing()
    r.message.register(on_announce, Command("announce"))
    r.message.register(on_cancel_command, StateFilter(*Compose.__states__), Command("cancel"))
    texts = StateFilter(*WIZARD.states(Input.TEXT))
    r.message.register(WIZARD.on_text, texts, F.text, NOT_A_COMMAND, conv)
    r.message.register(on_attachment, Compose.attachment, F.photo | F.document, conv)
    r.message.register(on_skip_text, Compose.attachment, F.text, NOT_A_COMMAND, conv)
    r.callback_query.register(on_skip, typing, SkipCb.filter(), conv)
    for state, action, handler in (
        (Compose.audience, BroadcastAction.AUDIENCE, on_audience),
        (Compose.audience, BroadcastAction.PICK, on_audience_value),
        (Compose.confirm, BroadcastAction.SEND, on_send),
    ):
        r.callback_query.register(handler, state, BroadcastCb.filter(F.action == action), conv)
    r.callback_query.register(on_cancel, BroadcastCb.filter(F.action == BroadcastAction.CANCEL))
    r.callback_query.register(on_stop, BroadcastCb.filter(F.action == BroadcastAction.STOP))
    r.message.register(on_wrong_input, typing, NOT_A_COMMAND)


# --- the table -------------------------------------------------------------------------


def _text(raw: str) -> str:
    if len(raw) > broadcasts.TEXT_LIMIT:
        raise InvalidInput("text_too_long", length=len(raw), limit=broadcasts.TEXT_LIMIT)
    return raw


async def _attachment(conv: Conversation, raw: str) -> Values:
    """`raw` is "photo:<file id>" or "document:<file id>"."""
    kind, _sep, ref = raw.partition(":")
    data = await conv.state.get_data()
    broadcasts.check_texts(data.get("text_ky"), data.get("text_ru"), kind)
    return {"attachment_kind": kind, "attachment_ref": ref}


async def _ask_attachment(conv: Conversation) -> None:
    data = await conv.state.get_data()
    if not data.get("text_ky") and not data.get("text_ru"):
        await conv.message.answer(
            _("There is no text. Attach a photo or a document to send, or /cancel.")
        )
        return
    await conv.message.answer(
        _("Attach a photo or a document if needed, or press «Skip»."),
        reply_markup=skip_only("announce_attachment"),
    )


async def _preview(conv: Conversation) -> None:
    data = await conv.state.get_data()
    reach = await broadcasts.count_audience(conv.session, Audience(**data["audience"]))
    text = data.get(f"text_{conv.locale}") or data.get("text_ky") or data.get("text_ru") or ""
    shown, message = escape(text, quote=False), conv.message
    await message.answer(_("This is what people will see:"))
    if data.get("attachment_kind") == "photo":
        await message.answer_photo(data["attachment_ref"], caption=shown or None)
    elif data.get("attachment_kind") == "document":
        await message.answer_document(data["attachment_ref"], caption=shown or None)
    else:
        await message.answer(shown)
    await message.answer(
        _("It will reach {count} people. Send it?").format(count=reach),
        reply_markup=kb.confirm_send(),
    )


def _explain(error: InvalidInput) -> str:
    if error.reason == "caption_too_long":
        return _(
            "With an attachment the text is a caption of at most {limit} characters; "
            "yours has {length}. Start again with /announce and a shorter text, or "
            "press «Skip» to send it without the attachment."
        ).format(**error.details)
    return _("The text is too long: {length} characters, at most {limit}.").format(**error.details)


async def _send(conv: Conversation, data: Values) -> None:
    try:
        broadcast = await broadcasts.start(
            conv.session,
            author=conv.user,
            text_ky=data.get("text_ky"),
            text_ru=data.get("text_ru"),
            attachment_kind=data.get("attachment_kind"),
            attachment_ref=data.get("attachment_ref"),
            audience=Audience(**data.get("audience", {})),
        )
    except InvalidInput as error:
        reasons = {
            "announcement_empty": _("The announcement is empty: nothing was sent."),
            "audience_empty": _("Nobody matches this audience: nothing was sent."),
        }
        await conv.message.answer(reasons.get(error.reason, _("Nothing was sent.")))
        await conv.state.clear()
        return
    await conv.state.clear()
    progress = await conv.message.answer(
        _("Sending to {count} people…").format(count=broadcast.total),
        reply_markup=kb.stop_sending(broadcast.id),
    )
    await broadcasts.attach_progress_message(
        conv.session, broadcast.id, progress.chat.id, progress.message_id
    )


SKIP_TEXT = fixed(partial(skip_only, "announce_text"))
STEPS = (
    Step(
        Compose.text_ky,
        "text_ky",
        N_(
            "<b>New announcement</b>\n\nSend the text in Kyrgyz. If there is no Kyrgyz text, "
            "press «Skip»: everyone then gets the Russian one. /cancel stops."
        ),
        keyboard=SKIP_TEXT,
        parse=into("text_ky", _text),
    ),
    Step(
        Compose.text_ru,
        "text_ru",
        N_("Now the text in Russian, or «Skip»: everyone then gets the Kyrgyz one."),
        keyboard=SKIP_TEXT,
        parse=into("text_ru", _text),
    ),
    Step(
        Compose.attachment,
        "attachment",
        "",
        Input.OWN,
        keyboard=fixed(partial(skip_only, "announce_attachment")),
        parse=_attachment,
        remind=True,
        ask=_ask_attachment,
    ),
    Step(
        Compose.audience,
        "audience",
        N_("Who should get it?"),
        Input.OWN,
        keyboard=fixed(kb.audience_choice),
    ),
    Step(Compose.confirm, "confirm", "", Input.OWN, ask=_preview),
)
WIZARD = Wizard.form(STEPS, _send, _explain)


# --- the handlers, in the order a person meets them ------------------------------------


async def on_announce(message: Message, **data: Any) -> None:
    """/announce, or the home screen's button (which gives the data a command would)."""
    await WIZARD.begin(conversation_of(message, data))


async def on_skip(callback: CallbackQuery, press: Press, conv: Conversation) -> None:
    await press.drop_buttons()
    step = await WIZARD.current(conv.state)
    assert step is not None  # the filter lets only the typing steps in
    await WIZARD.answered(conv, step.field, {})


async def on_skip_text(message: Message, conv: Conversation, i18n: I18n) -> None:
    remind = N_("Please attach a photo or a document, or press «Skip».")
    await WIZARD.skip_typed(message, conv, i18n, "attachment", remind)


async def on_attachment(message: Message, conv: Conversation) -> None:
    if message.photo:
        raw = f"photo:{message.photo[-1].file_id}"
    else:
        assert message.document is not None  # the filter lets only photos and documents in
        raw = f"document:{message.document.file_id}"
    await WIZARD.take(conv, WIZARD.first_step("attachment"), raw)


async def _options(conv: Conversation, kind: str) -> list[tuple[str, str]]:
    session, locale = conv.session, conv.locale
    if kind == "region":
        return [(r.code, r.name(locale)) for r in await reference.residence_regions(session)]
    if kind == "category":
        return [(c.code, c.name(locale)) for c in await reference.categories(session)]
    if kind == "event":
        upcoming, _total = await events.upcoming(session, utcnow())
        return [(str(e.id), e.title(locale)[:60]) for e in upcoming]
    return list(LANGUAGE_LABELS.items())


async def on_audience(
    callback: CallbackQuery, press: Press, callback_data: BroadcastCb, conv: Conversation
) -> None:
    await press.drop_buttons()
    kind = callback_data.value
    if kind in ("all", "abroad"):
        await _choose(conv, Audience(kind))
        return
    options = await _options(conv, kind)
    if kind == "event" and not options:
        await conv.message.answer(_("There are no upcoming published events."))
        await WIZARD.go(conv, Compose.audience)
        return
    await conv.message.answer(_("Choose:"), reply_markup=audience_values(kind, options, kb.pick))


async def on_audience_value(
    callback: CallbackQuery, press: Press, callback_data: BroadcastCb, conv: Conversation
) -> None:
    await press.drop_buttons()
    kind, _sep, value = callback_data.value.partition(".")
    await _choose(conv, Audience(kind, value))


async def _choose(conv: Conversation, audience: Audience) -> None:
    if await broadcasts.count_audience(conv.session, audience) == 0:
        await conv.message.answer(_("Nobody matches this audience. Choose another one."))
        await WIZARD.go(conv, Compose.audience)
        return
    await WIZARD.answered(conv, "audience", {"audience": audience.as_dict()})


async def on_send(callback: CallbackQuery, press: Press, conv: Conversation) -> None:
    await press.drop_buttons()
    await WIZARD.answered(conv, "confirm", {})


async def on_cancel(callback: CallbackQuery, press: Press, callback_answer: CallbackAnswer) -> None:
    current = await press.state.get_state()
    if current is None or not current.startswith(Compose.__full_group_name__):
        no_longer_active(callback_answer)
        return
    await press.drop_buttons()
    await press.state.clear()
    await press.message.answer(_("The announcement was cancelled; nothing was sent."))


async def on_stop(
    callback: CallbackQuery,
    press: Press,
    callback_data: BroadcastCb,
    callback_answer: CallbackAnswer,
) -> None:
    broadcast = await press.session.get(Broadcast, callback_data.id)
    if broadcast is None:
        no_longer_active(callback_answer)
        return
    held_back = await broadcasts.stop(press.session, broadcast)
    callback_answer.text = _("Stopped: {count} messages will not be sent.").format(count=held_back)


async def on_cancel_command(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(_("The announcement was cancelled; nothing was sent."))


async def on_wrong_input(message: Message, state: FSMContext) -> None:
    if await state.get_state() == Compose.attachment.state:
        await message.answer(_("Please attach a photo or a document, or press «Skip»."))
    else:
        await message.answer(_("Please send the announcement as text."))
