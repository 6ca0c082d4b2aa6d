"""Home screens: an organizer's (what waits: moderation, overdue agency answers, events, and
a button to each journey) and an agency representative's (open items, due and overdue).
/home or the main menu's button opens it; each button leads to an existing journey."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import F, Router
from aiogram.dispatcher.event.handler import CallableObject
from aiogram.filters import Command, or_f
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.filters import HasRole, Role
from bot.keyboards import common as common_kb
from bot.keyboards.home import HomeCb, home_buttons
from bot.keyboards.summaries import export_buttons
from bot.services import home
from bot.services.roles import ORGANIZER, REPRESENTATIVE, roles_of
from db.models import User, utcnow
from handlers.agency.items import on_items
from handlers.common import MenuButton, WithMessage
from handlers.common.filters import MessageGone, message_gone
from handlers.organizer import agencies as organizer_agencies
from handlers.organizer.announcements import on_announce
from handlers.organizer.event_card import on_organize
from handlers.organizer.moderation import on_queue
from handlers.organizer.stats import on_stats
from handlers.participant.summaries import on_summaries


def router() -> Router:
    r = Router(name="home")
    organizer, representative = HasRole(Role.ORGANIZER), HasRole(Role.REPRESENTATIVE)
    staff = or_f(organizer, representative)
    r.message.register(on_home, Command("home"), staff)
    r.message.register(on_home, MenuButton(common_kb.MENU_HOME), staff)
    r.message.register(not_for_participants, Command("home"))
    r.message.register(not_for_participants, MenuButton(common_kb.MENU_HOME))
    # Each button opens an existing journey, as its command would: the journeys own these.
    for action, handler, role in (
        ("events", opens(on_organize), organizer),
        ("moderate", opens(on_queue), organizer),
        ("announce", opens(on_announce), organizer),
        ("agencies", opens(organizer_agencies.on_agencies), organizer),
        ("summaries", opens(on_summaries), organizer),
        ("stats", opens(on_stats), organizer),
        ("exports", open_exports, organizer),
        ("items", opens(on_items), representative),
    ):
        r.callback_query.register(handler, HomeCb.filter(F.action == action), role, WithMessage())
    r.callback_query.register(message_gone, HomeCb.filter(), MessageGone())
    r.callback_query.register(not_yours, HomeCb.filter())
    return r


async def on_home(message: Message, session: AsyncSession, user: User, settings: Settings) -> None:
    roles, now = await roles_of(session, settings.admin_ids, user), utcnow()
    lines: list[str] = []
    organizer = representative = None
    if ORGANIZER in roles:
        organizer = await home.organizer_figures(session, now)
        lines += [
            _("<b>Organizer's home</b>"),
            ngettext(
                "🛡 {count} proposal waits for moderation",
                "🛡 {count} proposals wait for moderation",
                organizer.to_moderate,
            ).format(count=organizer.to_moderate),
            ngettext(
                "🏛 {count} agency answer is overdue",
                "🏛 {count} agency answers are overdue",
                organizer.overdue_items,
            ).format(count=organizer.overdue_items),
            ngettext(
                "🗓 {count} event published and not over",
                "🗓 {count} events published and not over",
                organizer.upcoming_events,
            ).format(count=organizer.upcoming_events),
        ]
    if REPRESENTATIVE in roles:
        representative = await home.representative_figures(session, user, now)
        if lines:
            lines.append("")
        lines += [
            _("<b>Your agency's proposals</b>"),
            ngettext(
                "📨 {count} item waits for your answer",
                "📨 {count} items wait for your answer",
                representative.open,
            ).format(count=representative.open),
            ngettext(
                "⏳ {count} is due within 3 days",
                "⏳ {count} are due within 3 days",
                representative.due_soon,
            ).format(count=representative.due_soon),
            ngettext(
                "⏰ {count} is overdue", "⏰ {count} are overdue", representative.overdue
            ).format(count=representative.overdue),
        ]
    await message.answer("\n".join(lines), reply_markup=home_buttons(organizer, representative))


async def not_for_participants(message: Message) -> None:
    await message.answer(
        _(
            "The home screen is for organizers and agency representatives. Everything you can "
            "do is in the menu below and in /help."
        ),
        reply_markup=common_kb.main_menu(),
    )


async def not_yours(callback: CallbackQuery, callback_answer: CallbackAnswer) -> None:
    callback_answer.text = _("This button is for organizers. Your commands are in /help.")
    callback_answer.show_alert = True


# --- the buttons ---------------------------------------------------------------------


def opens(command: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[None]]:
    """A button that does what a journey's command handler does, under the button's message:
    the handler gets the same data (user, session, state...) a command would give it."""
    target = CallableObject(command)

    async def open_journey(callback: CallbackQuery, message: Message, **data: Any) -> None:
        await target.call(message, **data)

    return open_journey


async def open_exports(callback: CallbackQuery, message: Message) -> None:
    await message.answer(
        _("Export every proposal with its status history:"), reply_markup=export_buttons()
    )
