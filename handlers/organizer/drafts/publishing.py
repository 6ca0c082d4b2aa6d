"""An organizer decides what happens to a checked outline (publish it, add the other
language's version, discard it) and later uploads a new version of a published draft."""

from aiogram import Bot, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards import drafts as kb
from bot.keyboards.drafts import DraftOrgAction, DraftOrgCb
from bot.services.drafts import publishing
from db.models import Draft, utcnow
from handlers.common import drop_buttons
from handlers.organizer.drafts.common import DraftText, OnDraft
from handlers.pressed import register_actions


def router() -> Router:
    r = Router(name="organizer.drafts.publishing")
    pending = {
        DraftOrgAction.confirm: on_confirm,
        DraftOrgAction.discard: on_discard,
        DraftOrgAction.translation: on_translate,
    }
    register_actions(r, DraftOrgCb, pending, OnDraft(pending=True))
    published = {DraftOrgAction.version: on_version}
    register_actions(r, DraftOrgCb, published, OnDraft(pending=False))
    return r


async def on_confirm(
    callback: CallbackQuery, message: Message, draft: Draft, session: AsyncSession, bot: Bot
) -> None:
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
    callback: CallbackQuery, message: Message, draft: Draft, session: AsyncSession
) -> None:
    await drop_buttons(callback)
    await publishing.discard(session, draft)
    await message.answer(_("The draft was discarded; nothing was published."))


async def on_translate(
    callback: CallbackQuery, message: Message, draft: Draft, state: FSMContext
) -> None:
    await drop_buttons(callback)
    await state.set_state(DraftText.translation)
    await state.set_data({"draft_id": draft.id})
    prompt = (
        _("Send the Russian version (.docx or pasted text): its clauses are paired with these.")
        if draft.primary_language == "ky"
        else _("Send the Kyrgyz version (.docx or pasted text): its clauses are paired with these.")
    )
    await message.answer(prompt)


async def on_version(
    callback: CallbackQuery, message: Message, draft: Draft, state: FSMContext
) -> None:
    await state.set_state(DraftText.version)
    await state.set_data({"draft_id": draft.id})
    await message.answer(
        _(
            "Send the new version (.docx or pasted text) in the draft's main language. Everyone "
            "who commented on a changed clause is told what it says now."
        )
    )
