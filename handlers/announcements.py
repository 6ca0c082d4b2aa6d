"""Organizers compose an announcement in Kyrgyz and Russian, choose its audience, see the
preview and how many it reaches, send it, watch its progress and may stop it."""

from html import escape

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.i18n import translations
from bot.keyboards.callbacks import BroadcastCb, SkipCb
from bot.keyboards.common import LANGUAGE_LABELS, skip_only
from bot.services import broadcasts, events, reference, users
from bot.services.broadcasts import Audience
from bot.services.errors import InvalidInput
from db.models import Broadcast, User, utcnow
from handlers.common import drop_buttons, message_of, no_longer_active, organizers_only


class Compose(StatesGroup):
    text_ky = State()
    text_ru = State()
    attachment = State()
    audience = State()
    confirm = State()


def router() -> Router:
    r = Router(name="announcements")
    r.message.register(on_announce, Command("announce"))
    r.message.register(on_cancel_command, StateFilter(*Compose.__states__), Command("cancel"))
    r.message.register(on_text, StateFilter(Compose.text_ky, Compose.text_ru), F.text)
    r.message.register(on_attachment, Compose.attachment, F.photo | F.document)
    r.message.register(on_skip_text, Compose.attachment, F.text)
    r.callback_query.register(
        on_skip, StateFilter(Compose.text_ky, Compose.text_ru, Compose.attachment), SkipCb.filter()
    )
    r.callback_query.register(
        on_audience, Compose.audience, BroadcastCb.filter(F.action == "audience")
    )
    r.callback_query.register(
        on_audience_value, Compose.audience, BroadcastCb.filter(F.action == "pick")
    )
    r.callback_query.register(on_send, Compose.confirm, BroadcastCb.filter(F.action == "send"))
    r.callback_query.register(on_cancel, BroadcastCb.filter(F.action == "cancel"))
    r.callback_query.register(on_stop, BroadcastCb.filter(F.action == "stop"))
    r.message.register(
        on_wrong_input, StateFilter(Compose.text_ky, Compose.text_ru, Compose.attachment)
    )
    return r


def _allowed(settings: Settings, user: User) -> bool:
    return users.can_organize(settings.admin_ids, user)


async def on_announce(message: Message, user: User, settings: Settings, state: FSMContext) -> None:
    if not await organizers_only(message, settings, user):
        return
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


async def on_skip(
    callback: CallbackQuery,
    callback_data: SkipCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    if message is None or not _allowed(settings, user):
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    current = await state.get_state()
    if current == Compose.attachment.state:
        await _ask_audience(message, state)
    else:
        await _next_after_text(message, state, current)


async def on_skip_text(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: I18n,
) -> None:
    if message.text in translations(i18n, "Skip"):
        await _ask_audience(message, state)
        return
    await message.answer(_("Please attach a photo or a document, or press «Skip»."))


async def on_attachment(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: I18n,
) -> None:
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
    builder = InlineKeyboardBuilder()
    for kind, label in (
        ("all", _("Everyone registered")),
        ("region", _("By region")),
        ("abroad", _("Living abroad")),
        ("category", _("By category")),
        ("language", _("By language")),
        ("event", _("Registrants of an event")),
    ):
        builder.button(text=label, callback_data=BroadcastCb(action="audience", value=kind))
    builder.button(text=_("Cancel"), callback_data=BroadcastCb(action="cancel"))
    builder.adjust(1)
    await message.answer(_("Who should get it?"), reply_markup=builder.as_markup())


async def on_audience(
    callback: CallbackQuery,
    callback_data: BroadcastCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    if message is None or not _allowed(settings, user):
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    kind, locale = callback_data.value, i18n.current_locale
    if kind in ("all", "abroad"):
        await _preview(message, state, session, user, Audience(kind), locale)
        return
    builder = InlineKeyboardBuilder()
    if kind == "region":
        options = [(r.code, r.name(locale)) for r in await reference.residence_regions(session)]
    elif kind == "category":
        options = [(c.code, c.name(locale)) for c in await reference.categories(session)]
    elif kind == "event":
        upcoming, _total = await events.upcoming(session, utcnow())
        options = [(str(e.id), e.title(locale)[:60]) for e in upcoming]
        if not options:
            await message.answer(_("There are no upcoming published events."))
            await _ask_audience(message, state)
            return
    else:
        options = list(LANGUAGE_LABELS.items())
    for code, label in options:
        builder.button(text=label, callback_data=BroadcastCb(action="pick", value=f"{kind}.{code}"))
    builder.adjust(1 if kind in ("category", "event") else 2)
    await message.answer(_("Choose:"), reply_markup=builder.as_markup())


async def on_audience_value(
    callback: CallbackQuery,
    callback_data: BroadcastCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    if message is None or not _allowed(settings, user):
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    kind, _sep, value = callback_data.value.partition(".")
    await _preview(message, state, session, user, Audience(kind, value), i18n.current_locale)


async def _preview(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    audience: Audience,
    locale: str,
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
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Send"), callback_data=BroadcastCb(action="send"))
    builder.button(text=_("Cancel"), callback_data=BroadcastCb(action="cancel"))
    await message.answer(
        _("It will reach {count} people. Send it?").format(count=reach),
        reply_markup=builder.as_markup(),
    )


async def on_send(
    callback: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    if message is None or not _allowed(settings, user):
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    data = await state.get_data()
    audience = Audience(**data.get("audience", {}))
    try:
        broadcast = await broadcasts.start(
            session,
            author=user,
            text_ky=data.get("text_ky"),
            text_ru=data.get("text_ru"),
            attachment_kind=data.get("attachment_kind"),
            attachment_ref=data.get("attachment_ref"),
            audience=audience,
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
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("⏹ Stop sending"), callback_data=BroadcastCb(action="stop", id=broadcast.id)
    )
    progress = await message.answer(
        _("Sending to {count} people…").format(count=broadcast.total),
        reply_markup=builder.as_markup(),
    )
    await broadcasts.attach_progress_message(
        session, broadcast.id, progress.chat.id, progress.message_id
    )


async def on_cancel(
    callback: CallbackQuery, state: FSMContext, callback_answer: CallbackAnswer
) -> None:
    message = message_of(callback)
    current = await state.get_state()
    if message is None or current is None or not current.startswith(Compose.__full_group_name__):
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    await state.clear()
    await message.answer(_("The announcement was cancelled; nothing was sent."))


async def on_stop(
    callback: CallbackQuery,
    callback_data: BroadcastCb,
    session: AsyncSession,
    user: User,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    broadcast = await session.get(Broadcast, callback_data.id)
    if message is None or broadcast is None or not _allowed(settings, user):
        no_longer_active(callback_answer)
        return
    held_back = await broadcasts.stop(session, broadcast)
    callback_answer.text = _("Stopped: {count} messages will not be sent.").format(count=held_back)


async def on_cancel_command(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(_("The announcement was cancelled; nothing was sent."))


async def on_wrong_input(message: Message, state: FSMContext) -> None:
    if await state.get_state() == Compose.attachment.state:
        await message.answer(_("Please attach a photo or a document, or press «Skip»."))
    else:
        await message.answer(_("Please send the announcement as text."))
