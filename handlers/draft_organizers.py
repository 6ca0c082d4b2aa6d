"""Organizers and a draft's public discussion: /newdraft (titles in Kyrgyz and/or Russian,
the responsible agency, the last day of the period, the hearing it belongs to, then a DOCX or
pasted text), the outline to confirm before publishing, the other language's version paired
clause by clause; /managedrafts: decide on each comment with a reason (the author is told),
the table of comments (DOCX and XLSX), where the comments came from per chapter, a new
version. The role is checked by the router's filter, for every command and every button."""

import asyncio
from datetime import date
from html import escape
from io import BytesIO
from typing import cast
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import BaseFilter, Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message, TelegramObject
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _
from aiohttp import ClientError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.keyboards import drafts as kb
from bot.keyboards.drafts import DraftOrgCb
from bot.notices.drafts import decision_name, last_day
from bot.services import agencies, events, users, validation
from bot.services.drafts import DECISIONS, PENDING, WORDING, comments, publishing, reading, table
from bot.services.drafts.parsing import ParsedDraft, parse_docx, parse_text
from bot.services.errors import InvalidInput
from bot.text_split import split_text
from db.models import Agency, Draft, DraftClause, DraftComment, User, utcnow
from handlers.common import drop_buttons, message_of, no_longer_active
from handlers.drafts import chapter_label, explain_draft

FILE_MAX = 20 * 1024 * 1024  # what the Bot API lets a bot download
LONG_CLAUSE = 4000


class CanOrganize(BaseFilter):
    """Lets organizers through; everyone else falls through to handlers/drafts.py."""

    async def __call__(self, event: TelegramObject, settings: Settings, user: User) -> bool:
        return users.can_organize(settings.admin_ids, user)


class CanDecide(BaseFilter):
    """Organizers, and the representatives of the agency responsible for the draft the
    button, command or reason is about (/managedrafts: of any agency with a draft)."""

    async def __call__(
        self,
        event: TelegramObject,
        settings: Settings,
        user: User,
        session: AsyncSession,
        state: FSMContext,
        raw_state: str | None = None,
    ) -> bool:
        if users.can_organize(settings.admin_ids, user):
            return True
        # Cheap checks first: this filter sees every update that reaches the router.
        draft_id: int | None = None
        if isinstance(event, CallbackQuery):
            if not (event.data or "").startswith(DraftOrgCb.__prefix__ + ":"):
                return False
            try:
                pressed = DraftOrgCb.unpack(event.data or "")
            except (TypeError, ValueError):
                return False
            draft_id = pressed.id
            if pressed.action == "decide":
                comment = await session.get(DraftComment, pressed.id)
                draft_id = comment.draft_id if comment is not None else None
        elif not isinstance(event, Message):
            return False
        elif (event.text or "").startswith("/managedrafts"):
            # The list shows the drafts of the person's agencies.
            return bool(await publishing.drafts_of_representative(session, user))
        elif raw_state == Decide.reason.state:
            comment = await session.get(DraftComment, (await state.get_data()).get("comment_id"))
            draft_id = comment.draft_id if comment is not None else None
        else:
            return False
        draft = await session.get(Draft, draft_id) if draft_id else None
        return draft is not None and await agencies.is_representative(
            session, user, draft.agency_id
        )


class NewDraft(StatesGroup):
    title_ky = State()
    title_ru = State()
    agency = State()
    closes = State()
    event = State()
    text = State()


class DraftText(StatesGroup):
    """A text for an existing draft: the other language's version, or a new version."""

    translation = State()
    version = State()


class Decide(StatesGroup):
    reason = State()


TEXT_STATES = (NewDraft.text, DraftText.translation, DraftText.version)


def router() -> Router:
    r = Router(name="draft_organizers")
    organizers = Router(name="draft_organizers.organizers")
    organizers.message.filter(CanOrganize())
    organizers.callback_query.filter(CanOrganize())
    organizers.message.register(on_new, Command("newdraft"))
    organizers.message.register(
        on_cancel, StateFilter(*NewDraft.__states__, *DraftText.__states__), Command("cancel")
    )
    organizers.message.register(on_title, StateFilter(NewDraft.title_ky, NewDraft.title_ru), F.text)
    organizers.message.register(on_closes, NewDraft.closes, F.text)
    organizers.message.register(on_document, StateFilter(*TEXT_STATES), F.document)
    organizers.message.register(on_pasted, StateFilter(*TEXT_STATES), F.text)
    organizers.callback_query.register(
        on_skip_title,
        StateFilter(NewDraft.title_ky, NewDraft.title_ru),
        DraftOrgCb.filter(F.action == "skip"),
    )
    organizers.callback_query.register(
        on_agency, NewDraft.agency, DraftOrgCb.filter(F.action == "agency")
    )
    organizers.callback_query.register(
        on_event, NewDraft.event, DraftOrgCb.filter(F.action == "event")
    )
    organizers.callback_query.register(on_confirm, DraftOrgCb.filter(F.action == "confirm"))
    organizers.callback_query.register(on_discard, DraftOrgCb.filter(F.action == "discard"))
    organizers.callback_query.register(on_translate, DraftOrgCb.filter(F.action == "translate"))
    organizers.callback_query.register(on_version, DraftOrgCb.filter(F.action == "version"))
    organizers.callback_query.register(
        on_pasted_done, StateFilter(*TEXT_STATES), DraftOrgCb.filter(F.action == "pasted")
    )
    organizers.message.register(
        on_wrong_input, StateFilter(*NewDraft.__states__, *DraftText.__states__)
    )
    # Deciding, the table and the chart: organizers, and representatives of the draft's agency.
    deciders = Router(name="draft_organizers.deciders")
    deciders.message.filter(CanDecide())
    deciders.callback_query.filter(CanDecide())
    deciders.message.register(on_manage_list, Command("managedrafts"))
    deciders.message.register(on_cancel, Decide.reason, Command("cancel"))
    # A command typed while the reason is asked is that command, not the reason.
    deciders.message.register(on_reason, Decide.reason, F.text, ~F.text.startswith("/"))
    deciders.message.register(on_wrong_input, Decide.reason, ~F.text.startswith("/"))
    deciders.callback_query.register(on_manage, DraftOrgCb.filter(F.action == "manage"))
    deciders.callback_query.register(on_review, DraftOrgCb.filter(F.action == "review"))
    deciders.callback_query.register(on_decide, DraftOrgCb.filter(F.action == "decide"))
    deciders.callback_query.register(on_table, DraftOrgCb.filter(F.action == "table"))
    deciders.callback_query.register(on_chart, DraftOrgCb.filter(F.action == "chart"))
    r.include_routers(organizers, deciders)
    return r


def explain_org(error: InvalidInput) -> str:
    messages = {
        "not_docx": _(
            "This is not a Word document (.docx). Save it as .docx and send it again, or "
            "paste the text."
        ),
        "draft_empty": _("There is no text in it. Send the draft as .docx or paste its text."),
        "day_format": _("Please write the date like this: 31.12.2026."),
        "day_in_past": _("The last day must be today or later."),
        "period_too_long": _("The period can last at most {maximum} days."),
        "title_required": _("Please give a title in at least one language."),
        "text_empty": _("Please write some text."),
        "text_too_long": _(
            "That is too long ({length} characters): please keep it within {maximum}."
        ),
        "agency_unknown": _("Choose the responsible agency from the list."),
        "event_not_found": _("This event is not available."),
        "draft_not_pending": _("This draft has been published or discarded already."),
        "structure_changed": _(
            "The new version has other clause numbers than the published one. A new version "
            "may change the wording of clauses, not their numbering."
        ),
        "decision_unknown": _("Choose a decision with the buttons."),
        "file_too_big": _("The file is too big: at most 20 MB."),
        "download_failed": _("The file could not be downloaded. Please send it again."),
    }
    if error.reason in messages:
        return messages[error.reason].format(**error.details)
    return explain_draft(error)


# --- a new draft ----------------------------------------------------------------------------


async def on_new(message: Message, state: FSMContext) -> None:
    await state.set_state(NewDraft.title_ky)
    await state.set_data({})
    await message.answer(
        _(
            "<b>New draft for public discussion</b>\n\nSend its title in Kyrgyz, or «Skip» "
            "if there is no Kyrgyz version. /cancel stops."
        ),
        reply_markup=kb.org_skip("skip"),
    )


async def on_title(message: Message, state: FSMContext, session: AsyncSession, i18n: I18n) -> None:
    try:
        title = publishing.check_title(message.text or "")
    except InvalidInput as error:
        await message.answer(explain_org(error))
        return
    current = await state.get_state()
    key = "title_ky" if current == NewDraft.title_ky.state else "title_ru"
    await state.update_data({key: title})
    await _next_after_title(message, state, session, i18n.current_locale)


async def on_skip_title(
    callback: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    if message is None:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    await _next_after_title(message, state, session, i18n.current_locale)


async def _next_after_title(
    message: Message, state: FSMContext, session: AsyncSession, locale: str
) -> None:
    current = await state.get_state()
    if current == NewDraft.title_ky.state:
        await state.set_state(NewDraft.title_ru)
        await message.answer(
            _("Now the title in Russian, or «Skip»."), reply_markup=kb.org_skip("skip")
        )
        return
    data = await state.get_data()
    if not data.get("title_ky") and not data.get("title_ru"):
        await state.set_state(NewDraft.title_ky)
        await message.answer(
            _("A draft needs a title in at least one language. Send the title in Kyrgyz."),
            reply_markup=kb.org_skip("skip"),
        )
        return
    agencies = await session.scalars(
        select(Agency).where(Agency.is_active).order_by(Agency.name_ky, Agency.id)
    )
    options = [(str(a.id), a.name(locale)) for a in agencies]
    if not options:
        await state.clear()
        await message.answer(
            _("There are no agencies yet. Add the responsible agency with /agencies first.")
        )
        return
    await state.set_state(NewDraft.agency)
    await message.answer(
        _("Which state agency is responsible for the draft?"),
        reply_markup=kb.org_pick("agency", options, skip=False),
    )


async def on_agency(
    callback: CallbackQuery,
    callback_data: DraftOrgCb,
    state: FSMContext,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    agency = await session.get(Agency, int(callback_data.value or 0))
    if message is None or agency is None:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    await state.update_data({"agency_id": agency.id})
    await state.set_state(NewDraft.closes)
    await message.answer(
        _(
            "What is the last day of the discussion? Write the date like this: 31.12.2026. "
            "Public discussions usually last 30 days."
        )
    )


async def on_closes(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    try:
        day = validation.parse_day(message.text or "")
        publishing.check_closing_day(day, utcnow(), tz)
    except InvalidInput as error:
        await message.answer(explain_org(error))
        return
    await state.update_data({"closes_on": day.isoformat()})
    await state.set_state(NewDraft.event)
    locale = i18n.current_locale
    upcoming = [
        e
        for e in await events.organizer_events(session, limit=20)
        if e.status == events.PUBLISHED and e.starts_at > utcnow()
    ]
    options = [(str(e.id), e.title(locale)) for e in upcoming]
    await message.answer(
        _("Does the draft belong to a public hearing? Choose the event, or «Skip»."),
        reply_markup=kb.org_pick("event", options, skip=True),
    )


async def on_event(
    callback: CallbackQuery,
    callback_data: DraftOrgCb,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    if message is None:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    await state.update_data({"event_id": int(callback_data.value) if callback_data.value else None})
    await state.set_state(NewDraft.text)
    await message.answer(
        _(
            "Now send the draft as a Word document (.docx), or paste its text. Headings become "
            "chapters and sections, numbered paragraphs become clauses."
        )
    )


# --- receiving a text -----------------------------------------------------------------------


async def _download(message: Message, bot: Bot) -> bytes:
    document = message.document
    assert document is not None
    if document.file_size and document.file_size > FILE_MAX:
        raise InvalidInput("file_too_big")
    try:
        # Without a destination aiogram downloads into a BytesIO.
        buffer = cast(BytesIO | None, await bot.download(document.file_id))
    except (TelegramAPIError, ClientError, TimeoutError):
        raise InvalidInput("download_failed") from None
    if buffer is None:
        raise InvalidInput("download_failed")
    return buffer.getvalue()


async def on_document(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    tz: ZoneInfo,
    bot: Bot,
) -> None:
    try:
        data = await _download(message, bot)
        parsed = await asyncio.to_thread(parse_docx, data)
    except InvalidInput as error:
        await message.answer(explain_org(error))
        return
    await _received(message, state, session, user, i18n.current_locale, tz, parsed)


async def on_pasted(message: Message, state: FSMContext) -> None:
    """Telegram cuts a long paste into several messages: they are gathered until «Done»."""
    pasted = list((await state.get_data()).get("pasted", []))
    pasted.append(message.text or "")
    await state.update_data({"pasted": pasted})
    total = sum(len(part) for part in pasted)
    await message.answer(
        ngettext(
            "Received: {count} character. Send the rest of the text, or press «Done».",
            "Received: {count} characters. Send the rest of the text, or press «Done».",
            total,
        ).format(count=total),
        reply_markup=kb.pasted_done(),
    )


async def on_pasted_done(
    callback: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    tz: ZoneInfo,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    pasted = (await state.get_data()).get("pasted")
    if message is None or not pasted:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    try:
        parsed = await asyncio.to_thread(parse_text, "\n".join(pasted))
    except InvalidInput as error:
        await state.update_data({"pasted": []})
        await message.answer(explain_org(error))
        return
    await _received(message, state, session, user, i18n.current_locale, tz, parsed)


async def _received(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    locale: str,
    tz: ZoneInfo,
    parsed: ParsedDraft,
) -> None:
    current = await state.get_state()
    data = await state.get_data()
    try:
        if current == NewDraft.text.state:
            form = publishing.DraftForm(
                title_ky=data.get("title_ky"),
                title_ru=data.get("title_ru"),
                agency_id=int(data.get("agency_id", 0)),
                closes_on=date.fromisoformat(str(data.get("closes_on"))),
                event_id=data.get("event_id"),
            )
            draft = await publishing.create_pending(session, form, parsed, user, utcnow(), tz)
        elif current == DraftText.translation.state:
            draft = await publishing.pending_draft(session, int(data.get("draft_id", 0)))
            pairing = await publishing.add_translation(session, draft, parsed)
        else:
            draft = await publishing.get_published(session, int(data.get("draft_id", 0)))
            changed = await publishing.new_version(session, draft, parsed, utcnow())
    except InvalidInput as error:
        await state.update_data({"pasted": []})
        await message.answer(explain_org(error))
        return
    await state.clear()
    if current == DraftText.version.state:
        await message.answer(
            ngettext(
                "Version {version} is published: {count} clause changed; everyone who "
                "commented on it is told what it says now.",
                "Version {version} is published: {count} clauses changed; everyone who "
                "commented on them is told what they say now.",
                changed,
            ).format(version=draft.version, count=changed)
        )
        return
    if current == DraftText.translation.state:
        await message.answer(
            _(
                "Paired clause by clause. Without a pair: {mine} here, {theirs} in the new text."
            ).format(mine=pairing.unpaired_primary, theirs=pairing.unpaired_secondary)
        )
    await send_outline_to_confirm(message, session, draft, parsed, locale)


async def send_outline_to_confirm(
    message: Message, session: AsyncSession, draft: Draft, parsed: ParsedDraft, locale: str
) -> None:
    total = await publishing.clause_total(session, draft.id)
    lines = [
        _("<b>Outline of the draft</b> «{title}»").format(
            title=escape(draft.title(locale), quote=False)
        ),
        ngettext("{count} chapter", "{count} chapters", len(parsed.chapters)).format(
            count=len(parsed.chapters)
        )
        + ", "
        + ngettext("{count} clause", "{count} clauses", total).format(count=total),
        "",
    ]
    for chapter in await reading.outline(session, draft.id, 0, limit=1000):
        lines.append(
            f"• {escape(chapter_label(chapter.title(locale)), quote=False)} — "
            + ngettext("{count} clause", "{count} clauses", chapter.clauses).format(
                count=chapter.clauses
            )
        )
    if not parsed.has_headings:
        lines += [
            "",
            _(
                "⚠️ No headings were found, so the text was split into paragraphs: each "
                "paragraph is a clause. To get chapters and sections, use the Heading styles "
                "in Word."
            ),
        ]
    long_ones = sum(1 for *_rest, clause in parsed.clauses() if len(clause.text) > LONG_CLAUSE)
    if long_ones:
        lines.append(
            ngettext(
                "{count} clause is longer than one Telegram message: it will be shown in "
                "parts, cut between paragraphs or sentences.",
                "{count} clauses are longer than one Telegram message: they will be shown in "
                "parts, cut between paragraphs or sentences.",
                long_ones,
            ).format(count=long_ones)
        )
    lines += ["", _("Check the outline. Publish the draft?")]
    pieces = split_text("\n".join(lines))
    for index, piece in enumerate(pieces):
        markup = kb.confirm_outline(draft.id) if index == len(pieces) - 1 else None
        await message.answer(piece, reply_markup=markup)


async def _pressed_on(
    callback: CallbackQuery,
    callback_data: DraftOrgCb,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
    *,
    pending: bool,
) -> tuple[Message, Draft] | None:
    """The message and the draft a button was pressed on, if the draft is (or is no longer,
    with pending=False) awaiting confirmation; else the button is said to be stale."""
    message = message_of(callback)
    draft = await session.get(Draft, callback_data.id)
    if message is None or draft is None or (draft.status == PENDING) != pending:
        no_longer_active(callback_answer)
        return None
    return message, draft


async def on_confirm(
    callback: CallbackQuery,
    callback_data: DraftOrgCb,
    session: AsyncSession,
    bot: Bot,
    callback_answer: CallbackAnswer,
) -> None:
    found = await _pressed_on(callback, callback_data, session, callback_answer, pending=True)
    if found is None:
        return
    message, draft = found
    await drop_buttons(callback)
    await publishing.confirm(session, draft, utcnow())
    me = await bot.me()
    link = f"https://t.me/{me.username}?start=dr_{draft.id}"
    await message.answer(
        _(
            "The draft is published for public discussion. Participants find it with /drafts "
            "or by this link: {link}"
        ).format(link=link),
        reply_markup=kb.manage(draft.id),
    )


async def on_discard(
    callback: CallbackQuery,
    callback_data: DraftOrgCb,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    found = await _pressed_on(callback, callback_data, session, callback_answer, pending=True)
    if found is None:
        return
    message, draft = found
    await drop_buttons(callback)
    await publishing.discard(session, draft)
    await message.answer(_("The draft was discarded; nothing was published."))


async def on_translate(
    callback: CallbackQuery,
    callback_data: DraftOrgCb,
    session: AsyncSession,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    found = await _pressed_on(callback, callback_data, session, callback_answer, pending=True)
    if found is None:
        return
    message, draft = found
    await drop_buttons(callback)
    await state.set_state(DraftText.translation)
    await state.set_data({"draft_id": draft.id})
    prompt = (
        _("Send the Russian version (.docx or pasted text): its clauses are paired with these.")
        if draft.primary_language == "ky"
        else _("Send the Kyrgyz version (.docx or pasted text): its clauses are paired with these.")
    )
    await message.answer(prompt)


# --- managing a published draft -------------------------------------------------------------


async def on_manage_list(
    message: Message, session: AsyncSession, user: User, settings: Settings, i18n: I18n
) -> None:
    if users.can_organize(settings.admin_ids, user):
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
    callback_data: DraftOrgCb,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: I18n,
    tz: ZoneInfo,
    callback_answer: CallbackAnswer,
) -> None:
    found = await _pressed_on(callback, callback_data, session, callback_answer, pending=False)
    if found is None:
        return
    message, draft = found
    locale = i18n.current_locale
    rows = await table.rows(session, draft.id, locale, chapter_label(""))
    undecided = await comments.undecided_count(session, draft.id)
    lines = [
        f"📜 <b>{escape(draft.title(locale), quote=False)}</b>",
        _("Last day for comments: {day}").format(day=last_day(draft.closes_at, locale, tz)),
        ngettext("{count} comment", "{count} comments", len(rows)).format(count=len(rows)),
        _("Without a decision: {count}").format(count=undecided),
    ]
    await message.answer(
        "\n".join(lines),
        reply_markup=kb.manage(draft.id, users.can_organize(settings.admin_ids, user)),
    )


async def on_review(
    callback: CallbackQuery,
    callback_data: DraftOrgCb,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    found = await _pressed_on(callback, callback_data, session, callback_answer, pending=False)
    if found is None:
        return
    message, draft = found
    await drop_buttons(callback)
    after = int(callback_data.value) if callback_data.value.isdigit() else 0
    await show_next_to_review(
        message,
        session,
        draft,
        after,
        i18n.current_locale,
        users.can_organize(settings.admin_ids, user),
    )


async def show_next_to_review(
    message: Message,
    session: AsyncSession,
    draft: Draft,
    after: int,
    locale: str,
    organizer: bool,
) -> None:
    comment = await comments.to_review(session, draft.id, after)
    if comment is None:
        left = await comments.undecided_count(session, draft.id)
        text = (
            _("Every comment has a decision.")
            if not left
            else _("No more comments without a decision after this one; {count} skipped.").format(
                count=left
            )
        )
        await message.answer(text, reply_markup=kb.manage(draft.id, organizer))
        return
    clause = await session.get(DraftClause, comment.clause_id)
    assert clause is not None
    who = (await table.public_names(session, [comment], locale))[comment.id]
    label = _("✏️ Proposed wording") if comment.kind == WORDING else _("💬 Comment")
    clause_text = clause.text(locale)
    if len(clause_text) > 1500:
        clause_text = clause_text[:1500] + "…"
    lines = [
        _("<b>Clause {number}</b>").format(number=escape(clause.number, quote=False)),
        f"<blockquote>{escape(clause_text, quote=False)}</blockquote>",
        f"<b>{label}</b> · {escape(who, quote=False)} · 👍 {comment.support_count}",
        escape(comment.text, quote=False),
    ]
    if comment.reason:
        lines.append(_("Reason: {reason}").format(reason=escape(comment.reason, quote=False)))
    lines += ["", _("Your decision?")]
    for index, piece in enumerate(pieces := split_text("\n".join(lines))):
        markup = kb.decide(comment.id, draft.id) if index == len(pieces) - 1 else None
        await message.answer(piece, reply_markup=markup)


async def on_decide(
    callback: CallbackQuery,
    callback_data: DraftOrgCb,
    session: AsyncSession,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    comment = await session.get(DraftComment, callback_data.id)
    if message is None or comment is None or callback_data.value not in DECISIONS:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    await state.set_state(Decide.reason)
    await state.set_data({"comment_id": comment.id, "decision": callback_data.value})
    await message.answer(
        _("Decision: <b>{decision}</b>. Now write the reason; the author will read it.").format(
            decision=decision_name(callback_data.value)
        )
    )


async def on_reason(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    settings: Settings,
    i18n: I18n,
) -> None:
    data = await state.get_data()
    try:
        comment = await comments.decide(
            session,
            int(data.get("comment_id", 0)),
            str(data.get("decision", "")),
            message.text or "",
            user,
            utcnow(),
        )
    except InvalidInput as error:
        await message.answer(explain_org(error))
        if error.reason in ("comment_empty", "comment_too_long"):
            return
        await state.clear()
        return
    await state.clear()
    await message.answer(_("The decision is saved; the author will be told."))
    draft = await session.get(Draft, comment.draft_id)
    assert draft is not None
    organizer = users.can_organize(settings.admin_ids, user)
    await show_next_to_review(message, session, draft, comment.id, i18n.current_locale, organizer)


def table_labels(title: str) -> table.Labels:
    return table.Labels(
        title=_("Table of comments: {title}").format(title=title),
        headers=(
            _("Clause"),
            _("Text of the clause"),
            _("Comment or proposed wording"),
            _("Reason given"),
            _("Who"),
            _("Decision"),
            _("Reason for the decision"),
        ),
        wording=_("Proposed wording"),
        decision_name=decision_name,
        summary=_("Summary"),
        per_chapter=_("Comments per chapter"),
        per_place=_("Comments per region or country"),
        per_category=_("Comments per category"),
        total=_("Comments in all"),
        share_accepted=_("Accepted, fully or partly"),
    )


async def on_table(
    callback: CallbackQuery,
    callback_data: DraftOrgCb,
    session: AsyncSession,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    found = await _pressed_on(callback, callback_data, session, callback_answer, pending=False)
    if found is None:
        return
    message, draft = found
    locale = i18n.current_locale
    rows = await table.rows(session, draft.id, locale, chapter_label(""))
    labels = table_labels(draft.title(locale))
    docx_data = await asyncio.to_thread(table.docx_bytes, rows, labels)
    xlsx_data = await asyncio.to_thread(table.xlsx_bytes, rows, labels, _("Comments"))
    caption = ngettext("{count} comment", "{count} comments", len(rows)).format(count=len(rows))
    await message.answer_document(
        BufferedInputFile(docx_data, filename=f"draft-{draft.id}-comments.docx"), caption=caption
    )
    await message.answer_document(
        BufferedInputFile(xlsx_data, filename=f"draft-{draft.id}-comments.xlsx"), caption=caption
    )


async def on_chart(
    callback: CallbackQuery,
    callback_data: DraftOrgCb,
    session: AsyncSession,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    found = await _pressed_on(callback, callback_data, session, callback_answer, pending=False)
    if found is None:
        return
    message, draft = found
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


async def on_version(
    callback: CallbackQuery,
    callback_data: DraftOrgCb,
    session: AsyncSession,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    found = await _pressed_on(callback, callback_data, session, callback_answer, pending=False)
    if found is None:
        return
    message, draft = found
    await state.set_state(DraftText.version)
    await state.set_data({"draft_id": draft.id})
    await message.answer(
        _(
            "Send the new version (.docx or pasted text) in the draft's main language. Everyone "
            "who commented on a changed clause is told what it says now."
        )
    )


async def on_cancel(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(_("Cancelled: nothing was saved."))


async def on_wrong_input(message: Message, state: FSMContext) -> None:
    current = await state.get_state()
    if current in {s.state for s in TEXT_STATES}:
        await message.answer(
            _("Please send the draft as a Word document (.docx) or paste its text.")
        )
    elif current == NewDraft.agency.state or current == NewDraft.event.state:
        await message.answer(_("Please choose with the buttons."))
    else:
        await message.answer(_("Please send text, or /cancel."))
