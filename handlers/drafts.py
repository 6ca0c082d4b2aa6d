"""Participants and a draft's public discussion: the open drafts (/drafts, `/start dr_<id>`,
the event card), the contents with comment counts, clause after clause, comments and proposed
wordings (the clause's text shown to copy), supports, the most discussed clauses. Anyone who
is not an organizer pressing an organizer's button or command lands here too and is told so
(handlers/draft_organizers.py is matched first and lets only organizers in)."""

from html import escape
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards import drafts as kb
from bot.keyboards.drafts import DraftCb, DraftOrgCb
from bot.notices.drafts import decision_name, last_day
from bot.services.drafts import PUBLISHED, WORDING, comments, publishing, reading, table
from bot.services.drafts.parsing import split_long
from bot.services.errors import InvalidInput
from bot.text_split import split_text
from db.models import Agency, Draft, DraftClause, DraftComment, Event, User, utcnow
from handlers.common import drop_buttons, explain, message_of, no_longer_active

CLAUSE_PIECE = 3500  # of the clause's own text per message, leaving room for the heading


class Commenting(StatesGroup):
    text = State()
    reason = State()
    name = State()


def router() -> Router:
    r = Router(name="drafts")
    r.message.register(on_deep_link, CommandStart(deep_link=True, magic=F.args.regexp(r"^dr_\d+$")))
    r.message.register(on_drafts, Command("drafts"))
    r.message.register(on_cancel_command, StateFilter(*Commenting.__states__), Command("cancel"))
    r.message.register(on_text, StateFilter(Commenting.text, Commenting.reason), F.text)
    r.message.register(on_not_text, StateFilter(Commenting.text, Commenting.reason))
    r.callback_query.register(on_open, DraftCb.filter(F.action == "open"))
    r.callback_query.register(on_outline, DraftCb.filter(F.action == "outline"))
    r.callback_query.register(on_chapter, DraftCb.filter(F.action == "chapter"))
    r.callback_query.register(on_clause, DraftCb.filter(F.action == "clause"))
    r.callback_query.register(on_next, DraftCb.filter(F.action == "next"))
    r.callback_query.register(on_prev, DraftCb.filter(F.action == "prev"))
    r.callback_query.register(on_top, DraftCb.filter(F.action == "top"))
    r.callback_query.register(on_comments, DraftCb.filter(F.action == "comments"))
    r.callback_query.register(on_comment, DraftCb.filter(F.action == "comment"))
    r.callback_query.register(on_wording, DraftCb.filter(F.action == "wording"))
    r.callback_query.register(on_support, DraftCb.filter(F.action == "support"))
    r.callback_query.register(on_name, Commenting.name, DraftCb.filter(F.action == "name"))
    r.callback_query.register(on_cancel, DraftCb.filter(F.action == "cancel"))
    r.callback_query.register(on_stale, DraftCb.filter())
    # Reached only by people who are not organizers (see the module docstring).
    r.message.register(on_not_organizer, Command("newdraft", "managedrafts"))
    r.callback_query.register(on_stale, DraftOrgCb.filter())
    return r


def explain_draft(error: InvalidInput) -> str:
    messages = {
        "draft_not_found": _("This draft is not available."),
        "clause_not_found": _("This clause is not available."),
        "comment_not_found": _("This comment is not available."),
        "discussion_closed": _(
            "The discussion of this draft is closed: comments are no longer accepted."
        ),
        "registration_required": _("To comment, first register as a participant: send /start."),
        "comment_empty": _("The text is empty. Please write your comment."),
        "comment_too_long": _(
            "That is too long ({length} characters): please keep it within {maximum}."
        ),
        "own_comment": _("This is your own comment."),
        "already_supported": _("You already support this comment."),
    }
    if error.reason in messages:
        return messages[error.reason].format(**error.details)
    return explain(error)


def chapter_label(title: str) -> str:
    return title or _("Text without a heading")


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
    callback: CallbackQuery,
    callback_data: DraftCb,
    session: AsyncSession,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    message = message_of(callback)
    if message is not None:
        await show_draft(message, session, callback_data.id, i18n.current_locale, tz)


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
    callback_data: DraftCb,
    session: AsyncSession,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    draft = await session.get(Draft, callback_data.id)
    if message is None or draft is None or draft.status != PUBLISHED:
        no_longer_active(callback_answer)
        return
    await send_outline(message, session, draft, callback_data.after, i18n.current_locale)


async def on_chapter(
    callback: CallbackQuery,
    callback_data: DraftCb,
    session: AsyncSession,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    clause = await reading.first_clause(session, callback_data.id, callback_data.after)
    if message is None or clause is None:
        no_longer_active(callback_answer)
        return
    await send_clause(message, session, clause, i18n.current_locale)


# --- one clause -----------------------------------------------------------------------------


def clause_heading(draft: Draft, clause: DraftClause, locale: str) -> str:
    lines = [f"📜 {escape(draft.title(locale), quote=False)}"]
    chapter = clause.chapter_title(locale)
    if chapter:
        lines.append(f"<i>{escape(chapter, quote=False)}</i>")
    section = clause.section_title(locale)
    if section:
        lines.append(f"<i>{escape(section, quote=False)}</i>")
    lines.append("")
    lines.append(_("<b>Clause {number}</b>").format(number=escape(clause.number, quote=False)))
    return "\n".join(lines)


def pieces(text: str, limit: int = CLAUSE_PIECE) -> list[str]:
    """The clause's text escaped for HTML in pieces a message holds, cut between paragraphs
    or sentences, never inside a word."""
    result: list[str] = []
    for piece in split_long(text, limit):
        escaped = escape(piece, quote=False)
        result += pieces(piece, limit // 2) if len(escaped) > limit + 500 else [escaped]
    return result


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


async def on_clause(
    callback: CallbackQuery,
    callback_data: DraftCb,
    session: AsyncSession,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    clause = await session.get(DraftClause, callback_data.id)
    if message is None or clause is None:
        no_longer_active(callback_answer)
        return
    await send_clause(message, session, clause, i18n.current_locale)


async def _step(
    callback: CallbackQuery,
    callback_data: DraftCb,
    session: AsyncSession,
    locale: str,
    callback_answer: CallbackAnswer,
    forward: bool,
) -> None:
    message = message_of(callback)
    current = await session.get(DraftClause, callback_data.id)
    target = await reading.neighbour(session, current, forward) if current else None
    if message is None or target is None:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    await send_clause(message, session, target, locale)


async def on_next(
    callback: CallbackQuery,
    callback_data: DraftCb,
    session: AsyncSession,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    await _step(callback, callback_data, session, i18n.current_locale, callback_answer, True)


async def on_prev(
    callback: CallbackQuery,
    callback_data: DraftCb,
    session: AsyncSession,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    await _step(callback, callback_data, session, i18n.current_locale, callback_answer, False)


async def on_top(
    callback: CallbackQuery,
    callback_data: DraftCb,
    session: AsyncSession,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    if message is None:
        no_longer_active(callback_answer)
        return
    top = await reading.most_discussed(session, callback_data.id)
    if not top:
        await message.answer(_("Nobody has commented yet."))
        return
    locale = i18n.current_locale
    lines = [_("<b>The most discussed clauses</b>")]
    links = []
    for clause in top:
        count = ngettext("{count} comment", "{count} comments", clause.comment_count).format(
            count=clause.comment_count
        )
        lines.append(f"• {escape(clause.number, quote=False)}: {count}")
        links.append((clause.id, f"{clause.number} · {clause.text(locale)}"))
    await message.answer("\n".join(lines), reply_markup=kb.clause_links(links))


# --- reading comments and supporting them ---------------------------------------------------


def comment_text(comment: DraftComment, who: str) -> str:
    label = _("✏️ Proposed wording") if comment.kind == WORDING else _("💬 Comment")
    lines = [f"<b>{label}</b> · {escape(who, quote=False)}", escape(comment.text, quote=False)]
    if comment.reason:
        lines.append(_("Reason: {reason}").format(reason=escape(comment.reason, quote=False)))
    lines.append(
        "👍 "
        + ngettext("{count} supporter", "{count} supporters", comment.support_count).format(
            count=comment.support_count
        )
    )
    if comment.decision:
        lines.append(
            _("Decision: <b>{decision}</b>").format(decision=decision_name(comment.decision))
        )
        lines.append(
            _("Reason: {reason}").format(reason=escape(comment.decision_reason or "", quote=False))
        )
    return "\n".join(lines)


async def on_comments(
    callback: CallbackQuery,
    callback_data: DraftCb,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    clause = await session.get(DraftClause, callback_data.id)
    draft = await session.get(Draft, clause.draft_id) if clause is not None else None
    if message is None or clause is None or draft is None:
        no_longer_active(callback_answer)
        return
    found = await reading.comments_page(
        session, clause.id, callback_data.after, reading.COMMENTS_PAGE + 1
    )
    more = len(found) > reading.COMMENTS_PAGE
    found = found[: reading.COMMENTS_PAGE]
    if not found:
        await message.answer(_("No more comments on this clause."))
        return
    open_ = comments.is_open(draft, utcnow())
    names = await table.public_names(session, found, i18n.current_locale)
    for index, comment in enumerate(found):
        last = index == len(found) - 1
        markup = kb.comment_actions(
            comment.id,
            open_ and comment.author_id != user.id,
            clause.id,
            comment.id if last and more else None,
        )
        # A comment, its reason and the decision's reason may pass 4,096 characters together.
        parts = split_text(comment_text(comment, names[comment.id]))
        for index, part in enumerate(parts):
            await message.answer(part, reply_markup=markup if index == len(parts) - 1 else None)


async def on_support(
    callback: CallbackQuery,
    callback_data: DraftCb,
    session: AsyncSession,
    user: User,
    callback_answer: CallbackAnswer,
) -> None:
    try:
        count = await comments.support(session, user, callback_data.id, utcnow())
    except InvalidInput as error:
        callback_answer.text = explain_draft(error)
        callback_answer.show_alert = True
        return
    callback_answer.text = _("Your support is counted ({count}).").format(count=count)


# --- writing a comment or a wording ---------------------------------------------------------


async def _start_writing(
    callback: CallbackQuery,
    callback_data: DraftCb,
    session: AsyncSession,
    user: User,
    state: FSMContext,
    callback_answer: CallbackAnswer,
    kind: str,
) -> tuple[Message, DraftClause] | None:
    message = message_of(callback)
    if message is None:
        no_longer_active(callback_answer)
        return None
    try:
        if not user.is_registered:
            raise InvalidInput("registration_required")
        clause = await comments.open_clause(session, callback_data.id, utcnow())
    except InvalidInput as error:
        await message.answer(explain_draft(error))
        return None
    await state.set_state(Commenting.text)
    await state.set_data({"clause_id": clause.id, "kind": kind, "number": clause.number})
    return message, clause


async def on_comment(
    callback: CallbackQuery,
    callback_data: DraftCb,
    session: AsyncSession,
    user: User,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    started = await _start_writing(
        callback, callback_data, session, user, state, callback_answer, "comment"
    )
    if started is None:
        return
    message, clause = started
    await message.answer(
        _("Write your comment on clause {number} (at most {maximum} characters).").format(
            number=escape(clause.number, quote=False), maximum=comments.COMMENT_MAX
        ),
        reply_markup=kb.cancel_only(),
    )


async def on_wording(
    callback: CallbackQuery,
    callback_data: DraftCb,
    session: AsyncSession,
    user: User,
    state: FSMContext,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    started = await _start_writing(
        callback, callback_data, session, user, state, callback_answer, WORDING
    )
    if started is None:
        return
    message, clause = started
    await message.answer(
        _("The text of clause {number}: tap it to copy, edit it and send the new wording.").format(
            number=escape(clause.number, quote=False)
        )
    )
    for piece in pieces(clause.text(i18n.current_locale)):
        await message.answer(f"<code>{piece}</code>")
    await message.answer(
        _("Send your wording of clause {number} (at most {maximum} characters).").format(
            number=escape(clause.number, quote=False), maximum=comments.COMMENT_MAX
        ),
        reply_markup=kb.cancel_only(),
    )


async def on_text(message: Message, state: FSMContext) -> None:
    data = await state.get_data()
    current = await state.get_state()
    try:
        if current == Commenting.reason.state:
            text = comments.check_text(message.text, comments.REASON_MAX)
        else:
            text = comments.check_text(message.text)
    except InvalidInput as error:
        await message.answer(explain_draft(error))
        return
    if current == Commenting.text.state:
        await state.update_data({"text": text})
        if data.get("kind") == WORDING:
            await state.set_state(Commenting.reason)
            await message.answer(
                _("Why should the clause read so? Write the reason."),
                reply_markup=kb.cancel_only(),
            )
            return
    else:
        await state.update_data({"reason": text})
    await state.set_state(Commenting.name)
    await message.answer(
        _(
            "The drafters publish a table of all comments. Shall your name be shown in it? "
            "If not, only your category and region are shown."
        ),
        reply_markup=kb.name_choice(),
    )


async def on_name(
    callback: CallbackQuery,
    callback_data: DraftCb,
    session: AsyncSession,
    user: User,
    state: FSMContext,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    if message is None:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    data = await state.get_data()
    await state.clear()
    new = comments.NewComment(
        clause_id=int(data.get("clause_id", 0)),
        kind=str(data.get("kind", "comment")),
        text=str(data.get("text", "")),
        reason=data.get("reason"),
        show_name=callback_data.id == 1,
    )
    try:
        comment = await comments.add(session, user, new, utcnow())
    except InvalidInput as error:
        await message.answer(explain_draft(error))
        return
    clause = await session.get(DraftClause, comment.clause_id)
    number = escape(clause.number if clause else "", quote=False)
    saved = (
        _("Thank you! Your wording of clause {number} is saved.")
        if comment.kind == WORDING
        else _("Thank you! Your comment on clause {number} is saved.")
    )
    await message.answer(
        saved.format(number=number)
        + "\n"
        + _("The drafters decide on every comment; you will be told their decision.")
    )


async def on_not_text(message: Message) -> None:
    await message.answer(_("Please write your comment as text, or /cancel."))


async def on_cancel(
    callback: CallbackQuery, state: FSMContext, callback_answer: CallbackAnswer
) -> None:
    message = message_of(callback)
    current = await state.get_state()
    if message is None or current is None or not current.startswith(Commenting.__full_group_name__):
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    await state.clear()
    await message.answer(_("Cancelled: nothing was saved."))


async def on_cancel_command(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(_("Cancelled: nothing was saved."))


async def on_stale(callback: CallbackQuery, callback_answer: CallbackAnswer) -> None:
    no_longer_active(callback_answer)


async def on_not_organizer(message: Message) -> None:
    await message.answer(_("This command is for organizers."))
