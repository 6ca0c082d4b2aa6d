"""Organizers and their events: /organize opens their menu; the list of events; one event's
card with its actions (publish, cancel with the registrants told through the outbox, the deep
link with its QR code). The form, the registrants and check-in have their own modules."""

from html import escape
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.keyboards import events as kb
from bot.keyboards.events import OrgCb
from bot.keyboards.organizer_events import OrgAction, event_list
from bot.services import event_files, events
from bot.services.errors import InvalidInput
from db.models import Event, User
from handlers.organizer.press import Press
from handlers.participant.event_cards import card_text, explain_event


def register(r: Router) -> None:
    r.message.register(on_organize, Command("organize"))
    r.callback_query.register(on_list, OrgCb.filter(F.action == OrgAction.LIST))
    r.callback_query.register(on_view, OrgCb.filter(F.action == OrgAction.VIEW))
    r.callback_query.register(on_publish, OrgCb.filter(F.action == OrgAction.PUBLISH))
    r.callback_query.register(on_cancel, OrgCb.filter(F.action == OrgAction.CANCEL))
    r.callback_query.register(on_cancel_yes, OrgCb.filter(F.action == OrgAction.CANCEL_YES))
    r.callback_query.register(on_link, OrgCb.filter(F.action == OrgAction.LINK))


async def on_organize(message: Message, user: User, settings: Settings, state: FSMContext) -> None:
    await state.clear()
    await message.answer(
        _("<b>Organizer</b>: what would you like to do?"), reply_markup=kb.organizer_menu()
    )


async def on_list(callback: CallbackQuery, press: Press) -> None:
    await show_event_list(press.message, press.session, press.locale, press.tz)


async def show_event_list(
    message: Message, session: AsyncSession, locale: str, tz: ZoneInfo
) -> None:
    found = await events.organizer_events(session)
    if not found:
        await message.answer(_("There are no events yet."), reply_markup=kb.organizer_menu())
        return
    await message.answer(
        _("Events (📝 draft, ✅ published, ❌ cancelled):"),
        reply_markup=event_list(found, locale, tz),
    )


async def event_of(message: Message, session: AsyncSession, event_id: int) -> Event | None:
    """The event a button is about, or None (and the organizer told it is gone)."""
    event = await session.get(Event, event_id)
    if event is None:
        await message.answer(_("This event is not available. The events open now are in /events."))
    return event


async def on_view(callback: CallbackQuery, press: Press, callback_data: OrgCb) -> None:
    if event := await event_of(press.message, press.session, callback_data.id):
        await show_event(press.message, press.session, event, press.locale, press.tz)


async def show_event(
    message: Message, session: AsyncSession, event: Event, locale: str, tz: ZoneInfo
) -> None:
    status = {
        "draft": _("Draft: participants do not see it yet."),
        "published": _("Published."),
        "cancelled": _("Cancelled."),
    }[event.status]
    registered = await events.registered_count(session, event.id)
    text = "\n".join(
        [
            await card_text(session, event, locale, tz, with_description=False),
            "",
            status,
            _("Registered: {count}").format(count=registered),
        ]
    )
    await message.answer(text, reply_markup=kb.organizer_event(event.id, event.status))


async def on_publish(callback: CallbackQuery, press: Press, callback_data: OrgCb) -> None:
    if not (event := await event_of(press.message, press.session, callback_data.id)):
        return
    try:
        await events.publish(press.session, event)
    except InvalidInput as error:
        await press.message.answer(explain_event(error))
        return
    await press.drop_buttons()
    await press.message.answer(_("Published. Participants can now see it and register."))
    await show_event(press.message, press.session, event, press.locale, press.tz)


async def on_cancel(callback: CallbackQuery, press: Press, callback_data: OrgCb) -> None:
    if event := await event_of(press.message, press.session, callback_data.id):
        await press.message.answer(
            _("Cancel <b>{title}</b>? Everyone registered will be told.").format(
                title=escape(event.title(press.locale), quote=False)
            ),
            reply_markup=kb.confirm_cancel(event.id),
        )


async def on_cancel_yes(callback: CallbackQuery, press: Press, callback_data: OrgCb) -> None:
    if not (event := await event_of(press.message, press.session, callback_data.id)):
        return
    await press.drop_buttons()
    try:
        told = await events.cancel_event(press.session, event, press.tz)
    except InvalidInput as error:
        await press.message.answer(explain_event(error))
        return
    await press.message.answer(
        _("The event is cancelled. Registrants told: {count}.").format(count=told)
    )


async def on_link(callback: CallbackQuery, press: Press, callback_data: OrgCb, bot: Bot) -> None:
    if not (event := await event_of(press.message, press.session, callback_data.id)):
        return
    me = await bot.me()
    link = event_files.deep_link(me.username or "", event.id)
    await press.message.answer_photo(
        BufferedInputFile(event_files.qr_png(link), filename=f"event-{event.id}-qr.png"),
        caption=_("Link to the event for posters and slides:\n{link}").format(link=link),
    )
