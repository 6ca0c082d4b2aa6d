"""Participants read a draft open for public discussion: the open drafts (/drafts,
`/start dr_<id>`, the event card), the draft's card and contents with comment counts, clause
after clause, the most discussed clauses. Reading and writing comments is
handlers/participant/draft_comments.py; `router()` below includes it."""

from html import escape
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards import drafts as kb
from bot.keyboards.drafts import DraftAction, DraftCb
from bot.notices.drafts import last_day
from bot.services.drafts import PUBLISHED, comments, publishing, reading
from bot.services.errors import InvalidInput
from db.models import Agency, Draft, DraftClause, Event, utcnow
from handlers.common import drop_buttons, no_longer_active
from handlers.participant import draft_comments
from handlers.participant.draft_texts import chapter_label, clause_heading, explain_draft, pieces
from handlers.pressed import Press, Pressed, register_actions


def router() -> Router:
    r = Router(name="participant.drafts")
    r.message.register(on_deep_link, CommandStart(deep_link=True, magic=F.args.regexp(r"^dr_\d+$")))
    r.message.register(on_drafts, Command("drafts"))
    handlers = {
        DraftAction.open: on_open,
        DraftAction.outline: on_outline,
        DraftAction.chapter: on_chapter,
        DraftAction.clause: on_clause,
        DraftAction.top: on_top,
    }
    register_actions(r, DraftCb, handlers, Pressed())
    for action, forward in ((DraftAction.next, True), (DraftAction.prev, False)):
        r.callback_query.register(
            on_step, DraftCb.filter(F.action == action), Pressed(), flags={"forward": forward}
        )
    stale = Router(name="participant.drafts.stale")
    stale.callback_query.register(on_stale, DraftCb.filter())
    r.include_routers(draft_comments.router(), stale)
    return r


# --- the list and a draft's card ------------------------------------------------------------


async def on_drafts(message: Message, session: AsyncSession, i18n: I18n, tz: ZoneInfo) -> None:
    found = await publishing.open_drafts(session, utcnow())
    if not found:
        await message.answer(_("No drafts are open for public discussion now."))
        return
    locale = i18n.current_locale
    lines = [_("<b>Drafts open for public discussion</b>")]
    for draft in found:
        lines.append(
            _("• {title} (last day for comments: {day})").format(
                title=escape(draft.title(locale), quote=False),
                day=last_day(draft.closes_at, locale, tz),
            )
        )
    await message.answer(
        "\n".join(lines), reply_markup=kb.draft_list([(d.id, d.title(locale)) for d in found])
    )


async def on_deep_link(
    message: Message, command: CommandObject, session: AsyncSession, i18n: I18n, tz: ZoneInfo
) -> None:
    draft_id = int((command.args or "dr_0").removeprefix("dr_"))
    await show_draft(message, session, draft_id, i18n.current_locale, tz)


async def on_open(
    callback: CallbackQuery, press: Press[DraftCb], session: AsyncSession, tz: ZoneInfo
) -> None:
    await show_draft(press.message, session, press.data.id, press.locale, tz)


async def show_draft(
    message: Message, session: AsyncSession, draft_id: int, locale: str, tz: ZoneInfo
) -> None:
    try:
        draft = await publishing.get_published(session, draft_id)
    except InvalidInput as error:
        await message.answer(explain_draft(error))
        return
    agency = await session.get(Agency, draft.agency_id)
    lines = [f"📜 <b>{escape(draft.title(locale), quote=False)}</b>"]
    if agency is not None:
        lines.append(
            _("Responsible agency: {agency}").format(
                agency=escape(agency.name(locale), quote=False)
            )
        )
    if draft.event_id is not None:
        event = await session.get(Event, draft.event_id)
        if event is not None:
            lines.append(
                _("Public hearing: {event}").format(event=escape(event.title(locale), quote=False))
            )
    if comments.is_open(draft, utcnow()):
        lines.append(
            _("Last day for comments: {day}").format(day=last_day(draft.closes_at, locale, tz))
        )
    else:
        lines.append(_("The discussion is closed: comments are no longer accepted."))
    lines += ["", _("Choose a chapter to read it clause by clause and comment.")]
    await message.answer("\n".join(lines))
    await send_outline(message, session, draft, 0, locale)


# --- the contents ---------------------------------------------------------------------------


async def send_outline(
    message: Message, session: AsyncSession, draft: Draft, after: int, locale: str
) -> None:
    chapters = await reading.outline(session, draft.id, after, reading.OUTLINE_PAGE + 1)
    more = len(chapters) > reading.OUTLINE_PAGE
    chapters = chapters[: reading.OUTLINE_PAGE]
    lines = [_("<b>Contents</b>")]
    for line in chapters:
        counts = (
            ngettext("{count} clause", "{count} clauses", line.clauses).format(count=line.clauses)
            + ", "
            + ngettext("{count} comment", "{count} comments", line.comments).format(
                count=line.comments
            )
        )
        lines.append(f"• {escape(chapter_label(line.title(locale)), quote=False)} — {counts}")
    buttons = [(line.chapter, chapter_label(line.title(locale))) for line in chapters]
    await message.answer(
        "\n".join(lines),
        reply_markup=kb.outline(
            draft.id, buttons, chapters[-1].chapter if more and chapters else None, after == 0
        ),
    )


async def on_outline(
    callback: CallbackQuery,
    press: Press[DraftCb],
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    draft = await session.get(Draft, press.data.id)
    if draft is None or draft.status != PUBLISHED:
        no_longer_active(callback_answer)
        return
    await send_outline(press.message, session, draft, press.data.after, press.locale)


async def on_chapter(
    callback: CallbackQuery,
    press: Press[DraftCb],
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    clause = await reading.first_clause(session, press.data.id, press.data.after)
    await _send_or_stale(press, session, clause, callback_answer)


# --- one clause -----------------------------------------------------------------------------


async def send_clause(
    message: Message, session: AsyncSession, clause: DraftClause, locale: str
) -> None:
    draft = await session.get(Draft, clause.draft_id)
    if draft is None or draft.status != PUBLISHED:
        await message.answer(_("This draft is not available."))
        return
    parts = pieces(clause.text(locale))
    parts[0] = clause_heading(draft, clause, locale) + "\n" + parts[0]
    count = clause.comment_count
    parts[-1] += "\n\n💬 " + ngettext("{count} comment", "{count} comments", count).format(
        count=count
    )
    has_prev = await reading.neighbour(session, clause, forward=False) is not None
    has_next = await reading.neighbour(session, clause, forward=True) is not None
    markup = kb.clause(
        clause.id, draft.id, count, comments.is_open(draft, utcnow()), has_prev, has_next
    )
    for index, part in enumerate(parts):
        await message.answer(part, reply_markup=markup if index == len(parts) - 1 else None)


async def _send_or_stale(
    press: Press[DraftCb],
    session: AsyncSession,
    clause: DraftClause | None,
    callback_answer: CallbackAnswer,
) -> None:
    if clause is None:
        no_longer_active(callback_answer)
        return
    await send_clause(press.message, session, clause, press.locale)


async def on_clause(
    callback: CallbackQuery,
    press: Press[DraftCb],
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    clause = await session.get(DraftClause, press.data.id)
    await _send_or_stale(press, session, clause, callback_answer)


async def on_step(
    callback: CallbackQuery,
    press: Press[DraftCb],
    session: AsyncSession,
    callback_answer: CallbackAnswer,
    handler: HandlerObject,
) -> None:
    """Next or Previous (the handler's flag `forward` says which)."""
    current = await session.get(DraftClause, press.data.id)
    target = (
        await reading.neighbour(session, current, handler.flags["forward"]) if current else None
    )
    if target is not None:
        await drop_buttons(callback)
    await _send_or_stale(press, session, target, callback_answer)


async def on_top(callback: CallbackQuery, press: Press[DraftCb], session: AsyncSession) -> None:
    message, locale = press.message, press.locale
    top = await reading.most_discussed(session, press.data.id)
    if not top:
        await message.answer(_("Nobody has commented yet."))
        return
    lines = [_("<b>The most discussed clauses</b>")]
    links = []
    for clause in top:
        count = ngettext("{count} comment", "{count} comments", clause.comment_count).format(
            count=clause.comment_count
        )
        lines.append(f"• {escape(clause.number, quote=False)}: {count}")
        links.append((clause.id, f"{clause.number} · {clause.text(locale)}"))
    await message.answer("\n".join(lines), reply_markup=kb.clause_links(links))


async def on_stale(callback: CallbackQuery, callback_answer: CallbackAnswer) -> None:
    no_longer_active(callback_answer)
