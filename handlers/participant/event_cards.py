"""How an event reads to a participant (its card, their registration status) and why an event
action was refused; the organizer's screens show the same card and the same reasons."""

from html import escape
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import format_when
from bot.notices.events import when_and_where
from bot.services import events
from bot.services.errors import InvalidInput
from db.models import Event, EventKind, Registration, Topic
from handlers.common import explain


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


async def my_status(session: AsyncSession, registration: Registration) -> str:
    if registration.status == events.WAITING:
        position = await events.waiting_position(session, registration)
        return _("You are on the waiting list, number {position}.").format(position=position)
    return _("✅ You are registered. Your code: <code>{code}</code>").format(code=registration.code)
