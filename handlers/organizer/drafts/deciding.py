"""Organizers and the representatives of a draft's agency decide on its comments one by one:
the clause and the comment, a decision (accepted, partly, not accepted) and its reason, which
the author is told; then the next comment without a decision."""

from html import escape

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards import drafts as kb
from bot.keyboards.drafts import DraftOrgAction, DraftOrgCb
from bot.notices.drafts import decision_name
from bot.services.drafts import DECISIONS, comments, table
from bot.services.errors import InvalidInput
from bot.text_split import split_text
from db.models import Draft, DraftClause, DraftComment, User, utcnow
from handlers.common import NOT_A_COMMAND, drop_buttons, no_longer_active
from handlers.organizer.drafts.common import Decide, OnDraft, explain_org
from handlers.participant.draft_texts import comment_label
from handlers.pressed import Pressed


def router() -> Router:
    r = Router(name="organizer.drafts.deciding")
    r.callback_query.register(
        on_review, DraftOrgCb.filter(F.action == DraftOrgAction.review), OnDraft(pending=False)
    )
    r.callback_query.register(
        on_decide, DraftOrgCb.filter(F.action == DraftOrgAction.decide), Pressed()
    )
    r.message.register(on_reason, Decide.reason, F.text, NOT_A_COMMAND)
    return r


async def on_review(
    callback: CallbackQuery,
    message: Message,
    draft: Draft,
    callback_data: DraftOrgCb,
    session: AsyncSession,
    organizer: bool,
    i18n: I18n,
) -> None:
    await drop_buttons(callback)
    after = int(callback_data.value) if callback_data.value.isdigit() else 0
    await show_next_to_review(message, session, draft, after, i18n.current_locale, organizer)


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
    clause_text = clause.text(locale)
    if len(clause_text) > 1500:
        clause_text = clause_text[:1500] + "…"
    lines = [
        _("<b>Clause {number}</b>").format(number=escape(clause.number, quote=False)),
        f"<blockquote>{escape(clause_text, quote=False)}</blockquote>",
        f"<b>{comment_label(comment)}</b> · {escape(who, quote=False)}"
        f" · 👍 {comment.support_count}",
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
    message: Message,
    callback_data: DraftOrgCb,
    session: AsyncSession,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    comment = await session.get(DraftComment, callback_data.id)
    if comment is None or callback_data.value not in DECISIONS:
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
    organizer: bool,
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
        if error.reason not in ("comment_empty", "comment_too_long"):
            await state.clear()
        return
    await state.clear()
    await message.answer(_("The decision is saved; the author will be told."))
    draft = await session.get(Draft, comment.draft_id)
    assert draft is not None
    await show_next_to_review(message, session, draft, comment.id, i18n.current_locale, organizer)
