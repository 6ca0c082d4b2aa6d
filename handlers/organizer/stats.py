"""/stats for organizers: proposals by region and by topic and registrations per event as
chart images with the figures under them, the ratings of the surveys after events, and the
export of every proposal (with its status history) as Excel or CSV."""

import asyncio
from html import escape

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot import charts
from bot.config import Settings
from bot.keyboards.summaries import StatsAction, StatsCb, export_buttons
from bot.notices.polls import rating_text
from bot.notices.proposals import status_name
from bot.services import event_files, stats, surveys
from bot.text_split import split_text
from db.models import User
from handlers.organizer.press import Press


def register(r: Router) -> None:
    r.message.register(on_stats, Command("stats"))
    r.callback_query.register(on_xlsx, StatsCb.filter(F.action == StatsAction.XLSX))
    r.callback_query.register(on_csv, StatsCb.filter(F.action == StatsAction.CSV))


def figures_lines(title: str, items: list[tuple[str, int]]) -> str:
    lines = [f"<b>{escape(title, quote=False)}</b>"]
    lines += [f"• {escape(name, quote=False)}: {count}" for name, count in items] or ["—"]
    return "\n".join(lines)


async def on_stats(
    message: Message, session: AsyncSession, user: User, settings: Settings, i18n: I18n
) -> None:
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


# --- the proposals export (here and on an event's card) ---------------------------------------


def _headers() -> list[str]:
    return [
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


async def _rows(press: Press, callback_data: StatsCb) -> tuple[list[list[object]], str]:
    """The proposals (of one event if the button says so) and the file's name without suffix."""
    event_id = callback_data.event_id
    rows = await stats.proposal_rows(press.session, press.locale, press.tz, status_name, event_id)
    return rows, f"event-{event_id}-proposals" if event_id else "proposals"


async def on_xlsx(callback: CallbackQuery, press: Press, callback_data: StatsCb) -> None:
    rows, stem = await _rows(press, callback_data)
    data = event_files.xlsx(
        _headers(),
        rows,
        [(_("Proposals"), len(rows))],
        sheet_title=_("Proposals"),
        summary_title=_("Figures"),
    )
    await _send(press.message, data, f"{stem}.xlsx", len(rows))


async def on_csv(callback: CallbackQuery, press: Press, callback_data: StatsCb) -> None:
    rows, stem = await _rows(press, callback_data)
    await _send(press.message, event_files.csv_bytes(_headers(), rows), f"{stem}.csv", len(rows))


async def _send(message: Message, data: bytes, name: str, count: int) -> None:
    await message.answer_document(
        BufferedInputFile(data, filename=name),
        caption=_("Proposals: {count}").format(count=count),
    )
