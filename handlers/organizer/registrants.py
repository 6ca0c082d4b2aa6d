"""Organizers and the people registered for an event: the list with the figures a report
needs (and the survey's results), and the Excel and CSV exports."""

from html import escape
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards import events as kb
from bot.keyboards.events import OrgCb
from bot.keyboards.organizer_events import OrgAction
from bot.notices.polls import survey_text
from bot.services import event_files, events, exports, surveys
from db.models import Event
from handlers.organizer.event_card import event_of
from handlers.organizer.press import Press

SHOWN = 40  # people listed in the message; the rest are in the exports


def register(r: Router) -> None:
    r.callback_query.register(on_people, OrgCb.filter(F.action == OrgAction.PEOPLE))
    r.callback_query.register(on_xlsx, OrgCb.filter(F.action == OrgAction.XLSX))
    r.callback_query.register(on_csv, OrgCb.filter(F.action == OrgAction.CSV))


async def on_people(callback: CallbackQuery, press: Press, callback_data: OrgCb) -> None:
    if event := await event_of(press.message, press.session, callback_data.id):
        await show_registrants(press.message, press.session, event, press.locale)


def figures_text(figures: events.EventStats) -> str:
    def breakdown(counter: dict[str, int]) -> str:
        items = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
        return (
            "\n".join(f"  • {escape(name, quote=False)}: {count}" for name, count in items) or "  —"
        )

    parts = [
        _("Registered: {registered}, attended: {attended}, on the waiting list: {waiting}").format(
            registered=figures.registered, attended=figures.attended, waiting=figures.waiting
        ),
        _("Women: {women}, men: {men}, not given: {unknown}").format(
            women=figures.women, men=figures.men, unknown=figures.gender_not_given
        ),
        _("By stakeholder category:"),
        breakdown(figures.by_category),
        _("By region:"),
        breakdown(figures.by_region),
    ]
    if figures.by_country:
        parts += [_("Countries of those abroad:"), breakdown(figures.by_country)]
    return "\n".join(parts)


async def show_registrants(
    message: Message, session: AsyncSession, event: Event, locale: str
) -> None:
    figures = await events.stats(session, event.id, locale)
    people = await events.registrants(session, event.id)
    lines = [f"<b>{escape(event.title(locale), quote=False)}</b>", figures_text(figures), ""]
    survey = survey_text(await surveys.results(session, event.id), locale)  # issue 19
    if survey:
        lines += [survey, ""]
    for item in people[:SHOWN]:
        mark = (
            "✅"
            if item.registration.attended_at
            else ("⏳" if item.registration.status == events.WAITING else "•")
        )
        name = escape(item.user.full_name or "—", quote=False)
        lines.append(f"{mark} {name} <code>{item.registration.code}</code>")
    if len(people) > SHOWN:
        lines.append(
            _("… and {count} more: see the Excel export.").format(count=len(people) - SHOWN)
        )
    await message.answer(
        "\n".join(lines)[:4000], reply_markup=kb.organizer_event(event.id, event.status)
    )


# --- exports -----------------------------------------------------------------------------------


async def on_xlsx(callback: CallbackQuery, press: Press, callback_data: OrgCb) -> None:
    if not (event := await event_of(press.message, press.session, callback_data.id)):
        return
    headers, rows = await export_rows(press.session, event, press.locale, press.tz)
    data = event_files.xlsx(
        headers,
        rows,
        await figures_rows(press.session, event, press.locale),
        sheet_title=_("Registrants"),
        summary_title=_("Figures"),
    )
    await send_export(press, event, data, f"event-{event.id}-registrants.xlsx", len(rows))


async def on_csv(callback: CallbackQuery, press: Press, callback_data: OrgCb) -> None:
    if not (event := await event_of(press.message, press.session, callback_data.id)):
        return
    headers, rows = await export_rows(press.session, event, press.locale, press.tz)
    data = event_files.csv_bytes(headers, rows)
    await send_export(press, event, data, f"event-{event.id}-registrants.csv", len(rows))


async def export_rows(
    session: AsyncSession, event: Event, locale: str, tz: ZoneInfo
) -> tuple[list[str], list[list[object]]]:
    headers = [
        _("Code"),
        _("Full name"),
        _("Gender"),
        _("Stakeholder category"),
        _("Region"),
        _("Country"),
        _("Organisation"),
        _("Phone"),
        _("Status"),
        _("Registered at"),
        _("Attended at"),
    ]
    words = {
        "female": _("Woman"),
        "male": _("Man"),
        events.REGISTERED: _("registered"),
        events.WAITING: _("waiting list"),
    }
    rows = await exports.registrant_rows(session, event.id, locale, tz, words)
    return headers, rows


async def figures_rows(
    session: AsyncSession, event: Event, locale: str
) -> list[tuple[str, object]]:
    """The second sheet of the Excel export: the figures, then each breakdown."""
    figures = await events.stats(session, event.id, locale)
    summary: list[tuple[str, object]] = [
        (_("Registered"), figures.registered),
        (_("Attended"), figures.attended),
        (_("Waiting list"), figures.waiting),
        (_("Women"), figures.women),
        (_("Men"), figures.men),
        (_("Gender not given"), figures.gender_not_given),
    ]
    summary += [(f"{_('Category')}: {name}", count) for name, count in figures.by_category.items()]
    summary += [(f"{_('Region')}: {name}", count) for name, count in figures.by_region.items()]
    summary += [(f"{_('Country')}: {name}", count) for name, count in figures.by_country.items()]
    return summary


async def send_export(press: Press, event: Event, data: bytes, name: str, count: int) -> None:
    await press.message.answer_document(
        BufferedInputFile(data, filename=name),
        caption=_("Registrants of «{title}»: {count}").format(
            title=escape(event.title(press.locale), quote=False), count=count
        ),
    )
