"""Participants: the list of coming events (paged, by region and topic), an event's card (also
by deep link `/start ev_<id>`), registering with a calendar file and a door code, cancelling,
"my events", and the answer to the 24-hour reminder's "still coming?"."""

from html import escape
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import format_when
from bot.keyboards import events as kb
from bot.keyboards.common import MENU_EVENTS
from bot.keyboards.events import EventCb, EventFilterCb, EventListCb, ReminderCb
from bot.notices.events import when_and_where
from bot.services import event_files, events, reference
from bot.services.drafts import publishing
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.local_time import zone_of
from db.models import Event, EventKind, Registration, Topic, User, utcnow
from handlers.common import drop_buttons, explain, message_of
from handlers.menu import MenuButton


def router() -> Router:
    r = Router(name="events")
    r.message.register(on_deep_link, CommandStart(deep_link=True, magic=F.args.regexp(r"^ev_\d+$")))
    r.message.register(on_events, Command("events"))
    r.message.register(on_events, MenuButton(MENU_EVENTS))
    r.message.register(on_my_events, Command("myevents"))
    r.callback_query.register(on_list, EventListCb.filter())
    r.callback_query.register(on_filter, EventFilterCb.filter())
    r.callback_query.register(on_event_action, EventCb.filter())
    r.callback_query.register(on_reminder_answer, ReminderCb.filter())
    return r


def explain_event(error: InvalidInput) -> str:
    """Why an event action was refused, in words; other reasons go to handlers.common."""
    messages = {
        "event_not_found": _("This event is not available. The events open now are in /events."),
        "event_cancelled": _("This event has been cancelled."),
        "event_past": _("This event has already started or is over; registration is closed."),
        "deadline_passed": _("Registration for this event closed at its deadline."),
        "registration_required": _(
            "To register for events, first register as a participant: send /start."
        ),
        "not_registered": _("You are not registered for this event."),
        "date_format": _("Please write the date and time like this: {example}."),
        "date_impossible": _("There is no such date or time: {text}. Please check it."),
        "start_in_past": _("The start must be in the future."),
        "end_before_start": _("The end must be after the start."),
        "deadline_after_start": _("The registration deadline must be before the start."),
        "text_empty": _("Please write some text."),
        "text_too_long": _(
            "That is too long ({length} characters): please keep it within {maximum}."
        ),
        "url_invalid": _("Please send a link that starts with https://"),
        "capacity_invalid": _("Please send a whole number from 1 to {maximum}."),
        "title_required": _("Please give a title in at least one language."),
        "venue_required": _("An event held in person needs a venue."),
        "link_required": _("An online event needs a link."),
        "not_a_draft": _("Only a draft can be published."),
        "code_unknown": _("No registration has this code."),
        "code_not_seated": _("This person is on the waiting list or cancelled: no seat."),
    }
    if error.reason == "already_registered":
        if error.details.get("status") == events.WAITING:
            return _("You are already on the waiting list for this event.")
        return _("You are already registered for this event.")
    if error.reason in messages:
        return messages[error.reason].format(**error.details)
    return explain(error)


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
    message = message_of(callback)
    if message is None:
        return
    text, markup = await list_screen(session, i18n.current_locale, tz, callback_data)
    await message.answer(text, reply_markup=markup)


async def list_screen(session: AsyncSession, locale: str, tz: ZoneInfo, query: EventListCb):  # type: ignore[no-untyped-def]
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


async def on_filter(
    callback: CallbackQuery, callback_data: EventFilterCb, session: AsyncSession, i18n: I18n
) -> None:
    message = message_of(callback)
    if message is None:
        return
    options: list[reference.RefItem]
    if callback_data.by == "region":
        regions = await reference.residence_regions(session)
        options = [region for region in regions if region.code != "abroad"]
        prompt = _("Choose a region.")
    else:
        options = list(await reference.topics(session))
        prompt = _("Choose a topic.")
    await message.answer(
        prompt, reply_markup=kb.filter_choice(callback_data.by, options, i18n.current_locale)
    )


# --- one event -----------------------------------------------------------------------------


async def card_text(
    session: AsyncSession,
    event: Event,
    locale: str,
    tz: ZoneInfo,
    *,
    with_description: bool = True,
    local_tz: str | None = None,
) -> str:
    """The event as a participant sees it; `local_tz` adds the time in the reader's zone."""
    kind = await session.get(EventKind, event.kind_code)
    lines = [
        f"<b>{escape(event.title(locale), quote=False)}</b>",
        f"<i>{escape(kind.name(locale) if kind else event.kind_code, quote=False)}</i>",
        "",
        when_and_where({**events.event_params(event, tz), "local_tz": local_tz}, locale),
    ]
    topic_names = []
    for code in await events.topic_codes(session, event.id):
        topic = await session.get(Topic, code)
        if topic is not None:
            topic_names.append(topic.name(locale))
    if topic_names:
        lines.append("🏷 " + escape(", ".join(topic_names), quote=False))
    left = await events.seats_left(session, event)
    if left is not None:
        lines.append(
            ngettext("{count} seat left", "{count} seats left", left).format(count=left)
            if left
            else _("No seats left: you can join the waiting list.")
        )
    if event.registration_deadline is not None:
        lines.append(
            _("Registration until {when}").format(
                when=format_when(event.registration_deadline, locale, tz)
            )
        )
    if event.status == events.EVENT_CANCELLED:
        lines.append(_("❌ This event has been cancelled."))
    description = event.description(locale)
    if with_description and description:
        lines += ["", escape(description[:2500], quote=False)]
    return "\n".join(lines)


async def show_card(
    message: Message, session: AsyncSession, user: User, event_id: int, locale: str, tz: ZoneInfo
) -> None:
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


async def my_status(session: AsyncSession, registration: Registration) -> str:
    if registration.status == events.WAITING:
        position = await events.waiting_position(session, registration)
        return _("You are on the waiting list, number {position}.").format(position=position)
    return _("✅ You are registered. Your code: <code>{code}</code>").format(code=registration.code)


async def on_deep_link(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    event_id = int((command.args or "ev_0").removeprefix("ev_"))
    await show_card(message, session, user, event_id, i18n.current_locale, tz)


async def on_event_action(
    callback: CallbackQuery,
    callback_data: EventCb,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    tz: ZoneInfo,
    bot: Bot,
) -> None:
    message = message_of(callback)
    if message is None:
        return
    locale = i18n.current_locale
    if callback_data.action == "open":
        await show_card(message, session, user, callback_data.id, locale, tz)
    elif callback_data.action == "mine":
        await show_my_events(message, session, user, locale, tz)
    elif callback_data.action == "register":
        await register(message, session, user, callback_data.id, locale, tz, bot)
    elif callback_data.action == "unregister":
        registration = await events.registration_of(session, callback_data.id, user.id)
        if registration is None:
            await message.answer(_("You are not registered for this event."))
            return
        await drop_buttons(callback)
        await cancel(message, session, user, registration, tz)


async def register(
    message: Message,
    session: AsyncSession,
    user: User,
    event_id: int,
    locale: str,
    tz: ZoneInfo,
    bot: Bot,
) -> None:
    try:
        registration = await events.register(session, user, event_id)
    except InvalidInput as error:
        await message.answer(explain_event(error))
        return
    event = await events.get_event(session, event_id)
    title = escape(event.title(locale), quote=False)
    if registration.status == events.WAITING:
        position = await events.waiting_position(session, registration)
        await message.answer(
            _(
                "The event is full. You are on the waiting list, number {position}. "
                "If a seat becomes free, you will get it and we will tell you."
            ).format(position=position),
            reply_markup=kb.event_card(event.id, True, True),
        )
        return
    me = await bot.me()
    link = event_files.deep_link(me.username or "", event.id)
    await message.answer(
        _(
            "✅ You are registered for <b>{title}</b>.\n\n{when}\n\n"
            "Your code for the entrance: <code>{code}</code>\n"
            "Show it (or the QR code below) at the door. We will remind you a day and an hour "
            "before the start."
        ).format(
            title=title,
            when=when_and_where(
                {**events.event_params(event, tz), "local_tz": zone_of(user)}, locale
            ),
            code=registration.code,
        ),
        reply_markup=kb.event_card(event.id, True, True),
    )
    calendar = event_files.ics(event, locale, tz, url=link, now=utcnow())
    await message.answer_document(
        BufferedInputFile(calendar, filename=f"event-{event.id}.ics"),
        caption=_("Add the event to your calendar."),
    )
    await message.answer_photo(
        BufferedInputFile(event_files.qr_png(registration.code), filename="code.png"),
        caption=_("Your entrance code: {code}").format(code=registration.code),
    )


async def cancel(
    message: Message, session: AsyncSession, user: User, registration: Registration, tz: ZoneInfo
) -> None:
    try:
        await events.cancel_registration(session, registration, user, tz)
    except (InvalidInput, NotAllowed):
        await message.answer(_("You are not registered for this event."))
        return
    await message.answer(
        _("Your registration is cancelled. Your seat goes to the next person waiting."),
        reply_markup=kb.event_card(registration.event_id, False, True),
    )


async def on_reminder_answer(
    callback: CallbackQuery,
    callback_data: ReminderCb,
    session: AsyncSession,
    user: User,
    tz: ZoneInfo,
) -> None:
    message = message_of(callback)
    registration = await session.get(Registration, callback_data.reg)
    if message is None or registration is None or registration.user_id != user.id:
        await callback.answer(_("This button is no longer active."), show_alert=True)
        return
    await drop_buttons(callback)
    if registration.status != events.REGISTERED:
        await message.answer(_("You are not registered for this event."))
    elif callback_data.coming:
        await message.answer(_("Thank you! See you there."))
    else:
        await cancel(message, session, user, registration, tz)


# --- my events -------------------------------------------------------------------------------


async def on_my_events(
    message: Message, session: AsyncSession, user: User, i18n: I18n, tz: ZoneInfo
) -> None:
    await show_my_events(message, session, user, i18n.current_locale, tz)


async def show_my_events(
    message: Message, session: AsyncSession, user: User, locale: str, tz: ZoneInfo
) -> None:
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
