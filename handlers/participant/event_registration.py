"""A participant registers for an event (a calendar file and a door code come with it),
cancels, and answers the 24-hour reminder's "still coming?". The buttons are on the event's
card (events.py routes them) and on the reminder."""

from html import escape

from aiogram import Bot
from aiogram.types import BufferedInputFile, CallbackQuery
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot.keyboards import events as kb
from bot.keyboards.events import EventCb, ReminderCb
from bot.notices.events import when_and_where
from bot.services import event_files, events
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.local_time import zone_of
from db.models import Registration, utcnow
from handlers.common import drop_buttons, no_longer_active
from handlers.participant.event_cards import explain_event
from handlers.participant.pressed import Reader


async def on_register(
    callback: CallbackQuery, reader: Reader, callback_data: EventCb, bot: Bot
) -> None:
    message, session, user = reader.message, reader.session, reader.user
    locale, tz = reader.locale, reader.tz
    event_id = callback_data.id
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


async def on_unregister(callback: CallbackQuery, reader: Reader, callback_data: EventCb) -> None:
    registration = await events.registration_of(reader.session, callback_data.id, reader.user.id)
    if registration is None:
        await reader.message.answer(_("You are not registered for this event."))
        return
    await drop_buttons(callback)
    await cancel(reader, registration)


async def cancel(reader: Reader, registration: Registration) -> None:
    try:
        await events.cancel_registration(reader.session, registration, reader.user, reader.tz)
    except (InvalidInput, NotAllowed):
        await reader.message.answer(_("You are not registered for this event."))
        return
    await reader.message.answer(
        _("Your registration is cancelled. Your seat goes to the next person waiting."),
        reply_markup=kb.event_card(registration.event_id, False, True),
    )


async def on_reminder_answer(
    callback: CallbackQuery,
    reader: Reader,
    callback_data: ReminderCb,
    callback_answer: CallbackAnswer,
) -> None:
    """The 24-hour reminder's "I am coming" / "I cannot come" (for the person's own seat)."""
    registration = await reader.session.get(Registration, callback_data.reg)
    if registration is None or registration.user_id != reader.user.id:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    if registration.status != events.REGISTERED:
        await reader.message.answer(_("You are not registered for this event."))
    elif callback_data.coming:
        await reader.message.answer(_("Thank you! See you there."))
    else:
        await cancel(reader, registration)
