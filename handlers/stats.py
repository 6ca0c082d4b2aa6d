"""/stats for organizers: proposals by region and by topic and registrations per event as
chart images with the figures under them, and the export of every proposal (with its status
history) as Excel or CSV. The role is checked on the command and on every button."""

import asyncio
from html import escape
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot import charts
from bot.config import Settings
from bot.keyboards.summaries import StatsCb, export_buttons
from bot.notices.polls import rating_text
from bot.notices.proposals import status_name
from bot.services import event_files, stats, surveys
from bot.services.users import can_organize
from bot.text_split import split_text
from db.models import User
from handlers.common import message_of, no_longer_active, organizers_only


def router() -> Router:
    r = Router(name="stats")
    r.message.register(on_stats, Command("stats"))
    r.callback_query.register(on_export, StatsCb.filter())
    return r


def figures_lines(title: str, items: list[tuple[str, int]]) -> str:
    lines = [f"<b>{escape(title, quote=False)}</b>"]
    lines += [f"• {escape(name, quote=False)}: {count}" for name, count in items] or ["—"]
    return "\n".join(lines)


async def on_stats(
    message: Message, session: AsyncSession, user: User, settings: Settings, i18n: I18n
) -> None:
    if not await organizers_only(message, settings, user):
        return
    figures = await stats.figures(session, i18n.current_locale)
    sections = [
        (_("Proposals by region"), figures.by_region, "regions"),
        (_("Proposals by topic"), figures.by_topic, "topics"),
        (_("Registrations per event"), figures.per_event, "events"),
    ]
    for title, items, name in sections:
        await message.answer_photo(
            BufferedInputFile(
                await asyncio.to_thread(charts.bar_chart, title, items), filename=f"{name}.png"
            )
        )
        for piece in split_text(figures_lines(title, items)):
            await message.answer(piece)
    rated = await surveys.surveyed_events(session)  # issue 19: the surveys after events
    if rated:
        lines = [_("<b>Event ratings (survey after the event)</b>")]
        lines += [
            _("• {title}: {average} of 5, ratings: {count}").format(
                title=escape(event.title(i18n.current_locale), quote=False),
                average=rating_text(average, i18n.current_locale),
                count=count,
            )
            for event, average, count in rated
        ]
        await message.answer("\n".join(lines))
    await message.answer(
        _("Export every proposal with its status history:"), reply_markup=export_buttons()
    )


async def on_export(
    callback: CallbackQuery,
    callback_data: StatsCb,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: I18n,
    tz: ZoneInfo,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    if message is None or not can_organize(settings.admin_ids, user):
        no_longer_active(callback_answer)
        return
    headers = [
        _("Number"),
        _("Sent at"),
        _("Event"),
        _("Topic"),
        _("Region"),
        _("Status"),
        _("Supporters"),
        _("Author"),
        _("Anonymous"),
        _("Text"),
        _("Status history"),
    ]
    event_id = callback_data.event_id
    rows = await stats.proposal_rows(session, i18n.current_locale, tz, status_name, event_id)
    stem = f"event-{event_id}-proposals" if event_id else "proposals"
    if callback_data.action == "csv":
        data, name = event_files.csv_bytes(headers, rows), f"{stem}.csv"
    else:
        data = event_files.xlsx(
            headers,
            rows,
            [(_("Proposals"), len(rows))],
            sheet_title=_("Proposals"),
            summary_title=_("Figures"),
        )
        name = f"{stem}.xlsx"
    await message.answer_document(
        BufferedInputFile(data, filename=name),
        caption=_("Proposals: {count}").format(count=len(rows)),
    )
