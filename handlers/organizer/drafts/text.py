"""An organizer sends a draft's text: a Word document or pasted text (gathered until «Done»),
for a new draft, as the other language's version, or as a new version of a published draft;
then the outline to check before publishing."""

import asyncio
from datetime import date
from html import escape
from io import BytesIO
from typing import cast

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiohttp import ClientError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards import drafts as kb
from bot.keyboards.drafts import DraftOrgAction, DraftOrgCb
from bot.services.drafts import publishing, reading
from bot.services.drafts.parsing import ParsedDraft, parse_docx, parse_text
from bot.services.errors import InvalidInput
from bot.text_split import split_text
from db.models import Draft, utcnow
from handlers.common import NOT_A_COMMAND, drop_buttons, no_longer_active
from handlers.organizer.drafts.common import TEXT_STATES, DraftText, NewDraft, explain_org
from handlers.participant.draft_texts import chapter_label
from handlers.wizard import Conversation, Conversing

FILE_MAX = 20 * 1024 * 1024  # what the Bot API lets a bot download
LONG_CLAUSE = 4000


def router() -> Router:
    r = Router(name="organizer.drafts.text")
    r.message.register(on_document, StateFilter(*TEXT_STATES), F.document, Conversing())
    r.message.register(on_pasted, StateFilter(*TEXT_STATES), F.text, NOT_A_COMMAND)
    r.callback_query.register(
        on_pasted_done,
        StateFilter(*TEXT_STATES),
        DraftOrgCb.filter(F.action == DraftOrgAction.pasted),
        Conversing(),
    )
    return r


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


async def on_document(message: Message, conv: Conversation, bot: Bot) -> None:
    try:
        data = await _download(message, bot)
        parsed = await asyncio.to_thread(parse_docx, data)
    except InvalidInput as error:
        await message.answer(explain_org(error))
        return
    await _received(conv, parsed)


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
    callback: CallbackQuery, conv: Conversation, callback_answer: CallbackAnswer
) -> None:
    pasted = (await conv.state.get_data()).get("pasted")
    if not pasted:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    try:
        parsed = await asyncio.to_thread(parse_text, "\n".join(pasted))
    except InvalidInput as error:
        await conv.state.update_data({"pasted": []})
        await conv.message.answer(explain_org(error))
        return
    await _received(conv, parsed)


async def _received(conv: Conversation, parsed: ParsedDraft) -> None:
    message, state, session, user, tz = conv.message, conv.state, conv.session, conv.user, conv.tz
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
    await send_outline_to_confirm(message, session, draft, parsed, conv.locale)


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
