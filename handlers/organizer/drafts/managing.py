"""Organizers and the representatives of a draft's agency follow a published draft
(/managedrafts): its card with the number of comments and of those without a decision, the
table of comments (DOCX and XLSX), and where the comments came from per chapter."""

import asyncio
from html import escape
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards import drafts as kb
from bot.keyboards.drafts import DraftOrgAction, DraftOrgCb
from bot.notices.drafts import last_day, table_labels
from bot.services.drafts import PENDING, comments, publishing, table
from bot.text_split import split_text
from db.models import Draft, User
from handlers.organizer.drafts.common import OnDraft
from handlers.participant.draft_texts import chapter_label
from handlers.pressed import register_actions


def router() -> Router:
    r = Router(name="organizer.drafts.managing")
    r.message.register(on_manage_list, Command("managedrafts"))
    handlers = {
        DraftOrgAction.manage: on_manage,
        DraftOrgAction.table: on_table,
        DraftOrgAction.chart: on_chart,
    }
    register_actions(r, DraftOrgCb, handlers, OnDraft(pending=False))
    return r


async def on_manage_list(
    message: Message, session: AsyncSession, user: User, organizer: bool, i18n: I18n
) -> None:
    if organizer:
        found = [d for d in await publishing.recent_drafts(session) if d.status != PENDING]
    else:
        found = await publishing.drafts_of_representative(session, user)
    if not found:
        await message.answer(_("There are no published drafts yet. Start one with /newdraft."))
        return
    locale = i18n.current_locale
    await message.answer(
        _("Choose a draft:"), reply_markup=kb.manage_list([(d.id, d.title(locale)) for d in found])
    )


async def on_manage(
    callback: CallbackQuery,
    message: Message,
    draft: Draft,
    session: AsyncSession,
    organizer: bool,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    locale = i18n.current_locale
    count = await comments.count(session, draft.id)
    undecided = await comments.undecided_count(session, draft.id)
    lines = [
        f"📜 <b>{escape(draft.title(locale), quote=False)}</b>",
        _("Last day for comments: {day}").format(day=last_day(draft.closes_at, locale, tz)),
        ngettext("{count} comment", "{count} comments", count).format(count=count),
        _("Without a decision: {count}").format(count=undecided),
    ]
    await message.answer("\n".join(lines), reply_markup=kb.manage(draft.id, organizer))


async def on_table(
    callback: CallbackQuery, message: Message, draft: Draft, session: AsyncSession, i18n: I18n
) -> None:
    locale = i18n.current_locale
    rows = await table.rows(session, draft.id, locale, chapter_label(""))
    labels = table_labels(draft.title(locale))
    docx_data = await asyncio.to_thread(table.docx_bytes, rows, labels)
    xlsx_data = await asyncio.to_thread(table.xlsx_bytes, rows, labels, _("Comments"))
    caption = ngettext("{count} comment", "{count} comments", len(rows)).format(count=len(rows))
    for data, kind in ((docx_data, "docx"), (xlsx_data, "xlsx")):
        await message.answer_document(
            BufferedInputFile(data, filename=f"draft-{draft.id}-comments.{kind}"), caption=caption
        )


async def on_chart(
    callback: CallbackQuery, message: Message, draft: Draft, session: AsyncSession, i18n: I18n
) -> None:
    locale = i18n.current_locale
    data = table.chapter_places(await table.rows(session, draft.id, locale, chapter_label("")))
    if not data:
        await message.answer(_("Nobody has commented yet."))
        return
    title = _("Comments per chapter, by region or country")
    png = await asyncio.to_thread(table.chapter_chart, title, data)
    await message.answer_photo(BufferedInputFile(png, filename=f"draft-{draft.id}-regions.png"))
    lines = [f"<b>{escape(title, quote=False)}</b>"]
    for chapter, places in data:
        counted = ", ".join(f"{escape(p, quote=False)}: {n}" for p, n in places)
        lines.append(f"• {escape(chapter, quote=False)} — {counted}")
    for piece in split_text("\n".join(lines)):
        await message.answer(piece)
