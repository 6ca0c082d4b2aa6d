"""Organizers compose an announcement (/announce) in Kyrgyz and Russian, may attach a photo
or a document, choose its audience, see the preview and how many it reaches, send it, watch
its progress and may stop it."""

from html import escape

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.i18n import translations
from bot.keyboards import announcements as kb
from bot.keyboards.announcements import BroadcastAction
from bot.keyboards.audience import audience_values
from bot.keyboards.callbacks import BroadcastCb, SkipCb
from bot.keyboards.common import LANGUAGE_LABELS, skip_only
from bot.services import broadcasts, events, reference
from bot.services.broadcasts import Audience
from bot.services.errors import InvalidInput
from db.models import Broadcast, User, utcnow
from handlers.common import NOT_A_COMMAND, no_longer_active
from handlers.organizer.press import Press


class Compose(StatesGroup):
    text_ky = State()
    text_ru = State()
    attachment = State()
    audience = State()
    confirm = State()


def register(r: Router) -> None:
    typing = StateFilter(Compose.text_ky, Compose.text_ru, Compose.attachment)
    r.message.register(on_announce, Command("announce"))
    r.message.register(on_cancel_command, StateFilter(*Compose.__states__), Command("cancel"))
    r.message.register(
        on_text, StateFilter(Compose.text_ky, Compose.text_ru), F.text, NOT_A_COMMAND
    )
    r.message.register(on_attachment, Compose.attachment, F.photo | F.document)
    r.message.register(on_skip_text, Compose.attachment, F.text, NOT_A_COMMAND)
    r.callback_query.register(on_skip, typing, SkipCb.filter())
    r.callback_query.register(
        on_audience, Compose.audience, BroadcastCb.filter(F.action == BroadcastAction.AUDIENCE)
    )
    r.callback_query.register(
        on_audience_value, Compose.audience, BroadcastCb.filter(F.action == BroadcastAction.PICK)
    )
    r.callback_query.register(
        on_send, Compose.confirm, BroadcastCb.filter(F.action == BroadcastAction.SEND)
    )
    r.callback_query.register(on_cancel, BroadcastCb.filter(F.action == BroadcastAction.CANCEL))
    r.callback_query.register(on_stop, BroadcastCb.filter(F.action == BroadcastAction.STOP))
    r.message.register(on_wrong_input, typing, NOT_A_COMMAND)


async def on_announce(message: Message, user: User, settings: Settings, state: FSMContext) -> None:
    await state.set_state(Compose.text_ky)
    await state.set_data({})
    await message.answer(
        _(
            "<b>New announcement</b>\n\nSend the text in Kyrgyz. If there is no Kyrgyz text, "
            "press «Skip»: everyone then gets the Russian one. /cancel stops."
        ),
        reply_markup=skip_only("announce_text"),
    )


async def on_text(message: Message, state: FSMContext) -> None:
    text = message.text or ""
    if len(text) > broadcasts.TEXT_LIMIT:
        await message.answer(
            _("The text is too long: {length} characters, at most {limit}.").format(
                length=len(text), limit=broadcasts.TEXT_LIMIT
            )
        )
        return
    current = await state.get_state()
    key = "text_ky" if current == Compose.text_ky.state else "text_ru"
    await state.update_data({key: text})
    await _next_after_text(message, state, current)


async def _next_after_text(message: Message, state: FSMContext, current: str | None) -> None:
    if current == Compose.text_ky.state:
        await state.set_state(Compose.text_ru)
        await message.answer(
            _("Now the text in Russian, or «Skip»: everyone then gets the Kyrgyz one."),
            reply_markup=skip_only("announce_text"),
        )
        return
    data = await state.get_data()
    if not data.get("text_ky") and not data.get("text_ru"):
        await state.set_state(Compose.attachment)
        await message.answer(
            _("There is no text. Attach a photo or a document to send, or /cancel."),
        )
        return
    await state.set_state(Compose.attachment)
    await message.answer(
        _("Attach a photo or a document if needed, or press «Skip»."),
        reply_markup=skip_only("announce_attachment"),
    )


async def on_skip(callback: CallbackQuery, press: Press) -> None:
    await press.drop_buttons()
    current = await press.state.get_state()
    if current == Compose.attachment.state:
        await _ask_audience(press.message, press.state)
    else:
        await _next_after_text(press.message, press.state, current)


async def on_skip_text(message: Message, state: FSMContext, i18n: I18n) -> None:
    if message.text in translations(i18n, "Skip"):
        await _ask_audience(message, state)
        return
    await message.answer(_("Please attach a photo or a document, or press «Skip»."))


async def on_attachment(message: Message, state: FSMContext) -> None:
    if message.photo:
        kind, ref = "photo", message.photo[-1].file_id
    else:
        assert message.document is not None  # the filter lets only photos and documents in
        kind, ref = "document", message.document.file_id
    data = await state.get_data()
    try:
        broadcasts.check_texts(data.get("text_ky"), data.get("text_ru"), kind)
    except InvalidInput as error:
        await message.answer(
            _(
                "With an attachment the text is a caption of at most {limit} characters; "
                "yours has {length}. Start again with /announce and a shorter text, or "
                "press «Skip» to send it without the attachment."
            ).format(**error.details),
            reply_markup=skip_only("announce_attachment"),
        )
        return
    await state.update_data({"attachment_kind": kind, "attachment_ref": ref})
    await _ask_audience(message, state)


async def _ask_audience(message: Message, state: FSMContext) -> None:
    await state.set_state(Compose.audience)
    await message.answer(_("Who should get it?"), reply_markup=kb.audience_choice())


async def on_audience(callback: CallbackQuery, press: Press, callback_data: BroadcastCb) -> None:
    await press.drop_buttons()
    message, session, kind, locale = press.message, press.session, callback_data.value, press.locale
    if kind in ("all", "abroad"):
        await _preview(message, press.state, session, Audience(kind), locale)
        return
    if kind == "region":
        options = [(r.code, r.name(locale)) for r in await reference.residence_regions(session)]
    elif kind == "category":
        options = [(c.code, c.name(locale)) for c in await reference.categories(session)]
    elif kind == "event":
        upcoming, _total = await events.upcoming(session, utcnow())
        options = [(str(e.id), e.title(locale)[:60]) for e in upcoming]
        if not options:
            await message.answer(_("There are no upcoming published events."))
            await _ask_audience(message, press.state)
            return
    else:
        options = list(LANGUAGE_LABELS.items())
    await message.answer(_("Choose:"), reply_markup=audience_values(kind, options, kb.pick))


async def on_audience_value(
    callback: CallbackQuery, press: Press, callback_data: BroadcastCb
) -> None:
    await press.drop_buttons()
    kind, _sep, value = callback_data.value.partition(".")
    await _preview(press.message, press.state, press.session, Audience(kind, value), press.locale)


async def _preview(
    message: Message, state: FSMContext, session: AsyncSession, audience: Audience, locale: str
) -> None:
    reach = await broadcasts.count_audience(session, audience)
    if reach == 0:
        await message.answer(_("Nobody matches this audience. Choose another one."))
        await _ask_audience(message, state)
        return
    await state.update_data({"audience": audience.as_dict()})
    await state.set_state(Compose.confirm)
    data = await state.get_data()
    text = data.get(f"text_{locale}") or data.get("text_ky") or data.get("text_ru") or ""
    shown = escape(text, quote=False)
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


async def on_send(callback: CallbackQuery, press: Press) -> None:
    message, state = press.message, press.state
    await press.drop_buttons()
    data = await state.get_data()
    try:
        broadcast = await broadcasts.start(
            press.session,
            author=press.user,
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
        await message.answer(reasons.get(error.reason, _("Nothing was sent.")))
        await state.clear()
        return
    await state.clear()
    progress = await message.answer(
        _("Sending to {count} people…").format(count=broadcast.total),
        reply_markup=kb.stop_sending(broadcast.id),
    )
    await broadcasts.attach_progress_message(
        press.session, broadcast.id, progress.chat.id, progress.message_id
    )


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
