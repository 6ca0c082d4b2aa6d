"""Participants comment on a draft's clause: the comments already there (and supporting them),
a comment or a proposed wording (the clause's text shown to copy), its reason, and whether
their name appears in the table of comments."""

from html import escape

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards import drafts as kb
from bot.keyboards.drafts import DraftAction, DraftCb
from bot.notices.drafts import decision_name
from bot.services.drafts import COMMENT, WORDING, comments, reading, table
from bot.services.errors import InvalidInput
from bot.text_split import split_text
from db.models import Draft, DraftClause, DraftComment, User, utcnow
from handlers.common import NOT_A_COMMAND, drop_buttons, no_longer_active
from handlers.participant.draft_texts import comment_label, explain_draft, pieces
from handlers.pressed import Press, Pressed


class Commenting(StatesGroup):
    text = State()
    reason = State()
    name = State()


def router() -> Router:
    r = Router(name="participant.draft_comments")
    r.callback_query.register(
        on_comments, DraftCb.filter(F.action == DraftAction.comments), Pressed()
    )
    r.callback_query.register(on_support, DraftCb.filter(F.action == DraftAction.support))
    r.callback_query.register(
        on_comment, DraftCb.filter(F.action == DraftAction.comment), Pressed()
    )
    r.callback_query.register(
        on_wording, DraftCb.filter(F.action == DraftAction.wording), Pressed()
    )
    r.message.register(on_text, Commenting.text, F.text, NOT_A_COMMAND)
    r.message.register(on_reason, Commenting.reason, F.text, NOT_A_COMMAND)
    r.message.register(on_not_text, StateFilter(Commenting.text, Commenting.reason), NOT_A_COMMAND)
    r.callback_query.register(
        on_name, Commenting.name, DraftCb.filter(F.action == DraftAction.name), Pressed()
    )
    r.callback_query.register(
        on_cancel,
        StateFilter(*Commenting.__states__),
        DraftCb.filter(F.action == DraftAction.cancel),
        Pressed(),
    )
    return r


# --- reading comments and supporting them ---------------------------------------------------


def comment_text(comment: DraftComment, who: str) -> str:
    lines = [
        f"<b>{comment_label(comment)}</b> · {escape(who, quote=False)}",
        escape(comment.text, quote=False),
    ]
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
    press: Press[DraftCb],
    session: AsyncSession,
    user: User,
    callback_answer: CallbackAnswer,
) -> None:
    message = press.message
    clause = await session.get(DraftClause, press.data.id)
    draft = await session.get(Draft, clause.draft_id) if clause is not None else None
    if clause is None or draft is None:
        no_longer_active(callback_answer)
        return
    found = await reading.comments_page(
        session, clause.id, press.data.after, reading.COMMENTS_PAGE + 1
    )
    more = len(found) > reading.COMMENTS_PAGE
    found = found[: reading.COMMENTS_PAGE]
    if not found:
        await message.answer(_("No more comments on this clause."))
        return
    open_ = comments.is_open(draft, utcnow())
    names = await table.public_names(session, found, press.locale)
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
    press: Press[DraftCb], session: AsyncSession, user: User, state: FSMContext, kind: str
) -> DraftClause | None:
    try:
        if not user.is_registered:
            raise InvalidInput("registration_required")
        clause = await comments.open_clause(session, press.data.id, utcnow())
    except InvalidInput as error:
        await press.message.answer(explain_draft(error))
        return None
    await state.set_state(Commenting.text)
    await state.set_data({"clause_id": clause.id, "kind": kind, "number": clause.number})
    return clause


async def _ask_text(message: Message, clause: DraftClause, prompt: str) -> None:
    await message.answer(
        prompt.format(number=escape(clause.number, quote=False), maximum=comments.COMMENT_MAX),
        reply_markup=kb.cancel_only(),
    )


async def on_comment(
    cq: CallbackQuery, press: Press[DraftCb], session: AsyncSession, user: User, state: FSMContext
) -> None:
    clause = await _start_writing(press, session, user, state, COMMENT)
    if clause is not None:
        await _ask_text(
            press.message,
            clause,
            _("Write your comment on clause {number} (at most {maximum} characters)."),
        )


async def on_wording(
    cq: CallbackQuery, press: Press[DraftCb], session: AsyncSession, user: User, state: FSMContext
) -> None:
    clause = await _start_writing(press, session, user, state, WORDING)
    if clause is None:
        return
    message = press.message
    await message.answer(
        _("The text of clause {number}: tap it to copy, edit it and send the new wording.").format(
            number=escape(clause.number, quote=False)
        )
    )
    for piece in pieces(clause.text(press.locale)):
        await message.answer(f"<code>{piece}</code>")
    await _ask_text(
        message, clause, _("Send your wording of clause {number} (at most {maximum} characters).")
    )


async def on_text(message: Message, state: FSMContext) -> None:
    try:
        text = comments.check_text(message.text)
    except InvalidInput as error:
        await message.answer(explain_draft(error))
        return
    await state.update_data({"text": text})
    if (await state.get_data()).get("kind") == WORDING:
        await state.set_state(Commenting.reason)
        await message.answer(
            _("Why should the clause read so? Write the reason."), reply_markup=kb.cancel_only()
        )
        return
    await _ask_name(message, state)


async def on_reason(message: Message, state: FSMContext) -> None:
    try:
        reason = comments.check_text(message.text, comments.REASON_MAX)
    except InvalidInput as error:
        await message.answer(explain_draft(error))
        return
    await state.update_data({"reason": reason})
    await _ask_name(message, state)


async def _ask_name(message: Message, state: FSMContext) -> None:
    await state.set_state(Commenting.name)
    await message.answer(
        _(
            "The drafters publish a table of all comments. Shall your name be shown in it? "
            "If not, only your category and region are shown."
        ),
        reply_markup=kb.name_choice(),
    )


async def on_name(
    cq: CallbackQuery, press: Press[DraftCb], session: AsyncSession, user: User, state: FSMContext
) -> None:
    message = press.message
    await drop_buttons(cq)
    data = await state.get_data()
    await state.clear()
    new = comments.NewComment(
        clause_id=int(data.get("clause_id", 0)),
        kind=str(data.get("kind", COMMENT)),
        text=str(data.get("text", "")),
        reason=data.get("reason"),
        show_name=press.data.id == 1,
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


async def on_cancel(callback: CallbackQuery, message: Message, state: FSMContext) -> None:
    await drop_buttons(callback)
    await state.clear()
    await message.answer(_("Cancelled: nothing was saved."))
