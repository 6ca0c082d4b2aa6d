"""Organizers and the agencies: the figures (/agencies), forwarding proposals (/forward, an
event's at once), the directory (/agency card, /addagency), invitations and representatives
(/invite), the topic routes (/routes) and the public holidays (/holidays, /holiday).

router() is the index; the handlers live in agencies_*.py by sub-task."""

from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import BaseFilter, Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import Role, guard, restrict
from bot.i18n import format_day, format_number, format_share
from bot.keyboards.agencies import ORGANIZER_ACTIONS
from bot.keyboards.agencies import AgencyDirectoryAction as Dir
from bot.keyboards.agencies import AgencyDirectoryCb as DirCb
from bot.keyboards.agencies import AgencyWorkAction as Work
from bot.keyboards.agencies import AgencyWorkCb as WorkCb
from bot.services import agencies
from db.models import utcnow
from handlers.common import message_of
from handlers.organizer import agencies_directory as directory
from handlers.organizer import agencies_forwarding as forwarding
from handlers.organizer import agencies_people as people
from handlers.organizer import agencies_routes as routes


class OnMessage(BaseFilter):
    """A press on a message still there: supplies `message` (else the fallback answers)."""

    async def __call__(self, callback: CallbackQuery) -> bool | dict[str, Any]:
        message = message_of(callback)
        return False if message is None else {"message": message}


def router() -> Router:
    r = Router(name="organizer_agencies")
    r.message.register(on_agencies, Command("agencies"))
    r.message.register(forwarding.on_forward, Command("forward"))
    r.message.register(directory.on_agency, Command("agency"))
    r.message.register(directory.on_add_agency, Command("addagency"))
    r.message.register(people.on_invite, Command("invite"))
    r.message.register(routes.on_routes, Command("routes"))
    r.message.register(routes.on_holidays, Command("holidays"))
    r.message.register(routes.on_add_holiday, Command("holiday"))
    agency, on_message = directory.OnActiveAgency(), OnMessage()
    r.callback_query.register(directory.on_days, DirCb.filter(F.action == Dir.days), agency)
    r.callback_query.register(directory.on_kind, DirCb.filter(F.action == Dir.kind), agency)
    r.callback_query.register(directory.on_retire, DirCb.filter(F.action == Dir.retire), agency)
    r.callback_query.register(
        directory.on_retire_yes, DirCb.filter(F.action == Dir.retire_yes), agency
    )
    r.callback_query.register(people.on_invitations, DirCb.filter(F.action == Dir.invites), agency)
    r.callback_query.register(
        people.on_new_invitation, DirCb.filter(F.action == Dir.invite), agency
    )
    r.callback_query.register(people.on_revoke, DirCb.filter(F.action == Dir.revoke), agency)
    r.callback_query.register(people.on_representatives, DirCb.filter(F.action == Dir.reps), agency)
    r.callback_query.register(
        people.on_remove_representative, DirCb.filter(F.action == Dir.unrep), agency
    )
    r.callback_query.register(routes.on_topic, DirCb.filter(F.action == Dir.topic), on_message)
    r.callback_query.register(routes.on_route, DirCb.filter(F.action == Dir.route), on_message)
    restrict(r, Role.ORGANIZER)
    # The agw prefix is shared with the representatives' buttons: these actions are claimed
    # one by one (registered after restrict(), which would claim the whole prefix).
    claim = guard(Role.ORGANIZER, WorkCb, ORGANIZER_ACTIONS)
    for_organizers = (claim, on_message)
    r.callback_query.register(
        forwarding.on_forward_to, WorkCb.filter(F.action == Work.forward), *for_organizers
    )
    r.callback_query.register(
        forwarding.on_event_preview, WorkCb.filter(F.action == Work.event), *for_organizers
    )
    r.callback_query.register(
        forwarding.on_event_yes, WorkCb.filter(F.action == Work.event_yes), *for_organizers
    )
    r.callback_query.register(
        forwarding.on_event_no, WorkCb.filter(F.action == Work.event_no), *for_organizers
    )
    return r


async def on_agencies(message: Message, session: AsyncSession, i18n: I18n, tz: ZoneInfo) -> None:
    """Each active agency's figures, and the proposals waiting to be routed by hand."""
    now, locale = utcnow(), i18n.current_locale
    lines = [
        _(
            "<b>Agencies</b>: forwarded / answered / overdue, median days to answer, "
            "authors satisfied, oldest open item"
        )
    ]
    for agency in await agencies.active_agencies(session):
        figures = await agencies.figures(session, agency.id, now)
        median = "—"
        if figures.median_days is not None:
            median = format_number(figures.median_days, locale)
        satisfied = "—"
        if figures.satisfied_share is not None:
            satisfied = format_share(figures.satisfied_share, locale)
        oldest = "—"
        if figures.oldest_open_at is not None:
            oldest = format_day(figures.oldest_open_at, locale, tz)
        lines.append(
            f"<code>{agency.code}</code> {escape(agency.short_name(locale), quote=False)}: "
            f"{figures.forwarded} / {figures.answered} / {figures.overdue}, {median}, "
            f"{satisfied}, {oldest}"
        )
    unrouted = await agencies.unrouted(session)
    if unrouted:
        ids = ", ".join(f"#{p.id}" for p in unrouted[:20])
        lines.append(_("To route by hand (no agency for the topic): {ids}").format(ids=ids))
    lines.append(_("Invite a representative: /invite code. Forward: /forward proposal number."))
    lines.append(
        _(
            "An agency's card: /agency code. New agency: /addagency. "
            "Topics: /routes. Holidays: /holidays."
        )
    )
    await message.answer("\n".join(lines))
