"""A participant and the events: the list of coming events (paged, by region and topic), an
event's card (also by the deep link `/start ev_<id>`), "my events"; registering and cancelling
are in event_registration.py."""

from html import escape
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import format_when
from bot.keyboards import events as kb
from bot.keyboards.common import MENU_EVENTS
from bot.keyboards.events import EventAction, EventCb, EventFilterCb, EventListCb, ReminderCb
from bot.services import events, reference
from bot.services.drafts import publishing
from bot.services.local_time import zone_of
from db.models import Event, User, utcnow
from handlers.common import MenuButton, message_of
from handlers.participant.event_cards import card_text, my_status
from handlers.participant.event_registration import (
    on_register,
    on_reminder_answer,
    on_unregister,
)
from handlers.participant.pressed import Pressed, Reader, on_no_longer_active, on_stale


def _action(action: EventAction) -> tuple[CallbackQueryFilter, Pressed]:
    return EventCb.filter(F.action == action), Pressed()


def router() -> Router:
    r = Router(name="events")
    r.message.register(on_deep_link, CommandStart(deep_link=True, magic=F.args.regexp(r"^ev_\d+$")))
    r.message.register(on_events, Command("events"))
    r.message.register(on_events, MenuButton(MENU_EVENTS))
    r.message.register(on_my_events, Command("myevents"))
    r.callback_query.register(on_list, EventListCb.filter())
    r.callback_query.register(on_filter_region, EventFilterCb.filter(F.by == "region"))
    r.callback_query.register(on_filter_topic, EventFilterCb.filter())
    r.callback_query.register(on_open, *_action(EventAction.open))
    r.callback_query.register(on_mine, *_action(EventAction.mine))
    r.callback_query.register(on_register, *_action(EventAction.register))
    r.callback_query.register(on_unregister, *_action(EventAction.unregister))
    r.callback_query.register(on_stale, EventCb.filter())
    r.callback_query.register(on_reminder_answer, ReminderCb.filter(), Pressed())
    r.callback_query.register(on_no_longer_active, ReminderCb.filter())
    return r


# --- the list ------------------------------------------------------------------------------


async def on_events(message: Message, session: AsyncSession, i18n: I18n, tz: ZoneInfo) -> None:
    text, markup = await list_screen(session, i18n.current_locale, tz, EventListCb())
    await message.answer(text, reply_markup=markup)


async def on_list(
    callback: CallbackQuery,
    callback_data: EventListCb,
    session: AsyncSession,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    if message := message_of(callback):
        text, markup = await list_screen(session, i18n.current_locale, tz, callback_data)
        await message.answer(text, reply_markup=markup)


async def list_screen(
    session: AsyncSession, locale: str, tz: ZoneInfo, query: EventListCb
) -> tuple[str, InlineKeyboardMarkup]:
    found, total = await events.upcoming(
        session, utcnow(), region=query.region or None, topic=query.topic or None, page=query.page
    )
    pages = max((total + events.PAGE_SIZE - 1) // events.PAGE_SIZE, 1)
    if not found:
        text = _("No coming events found.")
    else:
        lines = [
            _("<b>Coming events</b> (page {page} of {pages})").format(
                page=query.page + 1, pages=pages
            )
        ]
        for event in found:
            title = escape(event.title(locale), quote=False)
            lines.append(f"• {format_when(event.starts_at, locale, tz)}: {title}")
        lines.append(_("Choose an event to see details and register."))
        text = "\n".join(lines)
    items = [
        (event.id, f"{event.starts_at.astimezone(tz):%d.%m} {event.title(locale)}"[:60])
        for event in found
    ]
    return text, kb.event_list(items, query.page, pages, query.region, query.topic)


async def on_filter_region(callback: CallbackQuery, session: AsyncSession, i18n: I18n) -> None:
    if message := message_of(callback):
        regions = await reference.residence_regions(session)
        options = [region for region in regions if region.code != "abroad"]
        markup = kb.filter_choice("region", options, i18n.current_locale)
        await message.answer(_("Choose a region."), reply_markup=markup)


async def on_filter_topic(callback: CallbackQuery, session: AsyncSession, i18n: I18n) -> None:
    if message := message_of(callback):
        options = list(await reference.topics(session))
        markup = kb.filter_choice("topic", options, i18n.current_locale)
        await message.answer(_("Choose a topic."), reply_markup=markup)


# --- one event -----------------------------------------------------------------------------


async def on_deep_link(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    event_id = int((command.args or "ev_0").removeprefix("ev_"))
    await show_card(Reader(message, session, user, i18n.current_locale, tz), event_id)


async def on_open(callback: CallbackQuery, reader: Reader, callback_data: EventCb) -> None:
    await show_card(reader, callback_data.id)


async def show_card(reader: Reader, event_id: int) -> None:
    message, session, user = reader.message, reader.session, reader.user
    locale, tz = reader.locale, reader.tz
    event = await session.get(Event, event_id)
    if event is None or event.status == events.DRAFT:
        await message.answer(_("This event is not available. The events open now are in /events."))
        return
    registration = await events.registration_of(session, event.id, user.id)
    active = registration is not None and registration.status != events.CANCELLED
    lines = [await card_text(session, event, locale, tz, local_tz=zone_of(user))]
    if registration is not None and active:
        lines += ["", await my_status(session, registration)]
    open_ = event.status == events.PUBLISHED and event.starts_at > utcnow()
    if not user.is_registered and open_:
        lines += ["", _("To register, first send /start and register as a participant.")]
    # A cancelled event offers nothing to cancel or to propose: its card only informs.
    live = event.status == events.PUBLISHED
    draft = await publishing.for_event(session, event.id)
    markup = kb.event_card(
        event.id, active and live, open_, proposals=live, draft_id=draft.id if draft else None
    )
    await message.answer("\n".join(lines), reply_markup=markup)


# --- my events -------------------------------------------------------------------------------


async def on_my_events(
    message: Message, session: AsyncSession, user: User, i18n: I18n, tz: ZoneInfo
) -> None:
    await show_my_events(Reader(message, session, user, i18n.current_locale, tz))


async def on_mine(callback: CallbackQuery, reader: Reader) -> None:
    await show_my_events(reader)


async def show_my_events(reader: Reader) -> None:
    message, session, user = reader.message, reader.session, reader.user
    locale, tz = reader.locale, reader.tz
    mine = await events.my_registrations(session, user, utcnow())
    if not mine:
        await message.answer(
            _("You have not registered for any coming event."),
            reply_markup=kb.event_list([], 0, 1, "", ""),
        )
        return
    lines = [_("<b>My events</b>")]
    for registration, event, position in mine:
        if position is not None:
            status = _("waiting list, number {position}").format(position=position)
        else:
            status = _("registered, code <code>{code}</code>").format(code=registration.code)
        if event.status == events.EVENT_CANCELLED:
            status = _("cancelled by the organizers")
        lines.append(
            f"• {format_when(event.starts_at, locale, tz)}: "
            f"{escape(event.title(locale), quote=False)} ({status})"
        )
    items = [(event.id, event.title(locale)[:60]) for _registration, event, _position in mine]
    await message.answer("\n".join(lines), reply_markup=kb.event_list(items, 0, 1, "", ""))
