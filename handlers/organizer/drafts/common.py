"""What the organizer's draft modules share: the conversations' states (their stored names stay
as they were: NewDraft, DraftText, Decide), the error texts, and the filter that hands a
handler the draft a button was pressed on."""

from typing import Any

from aiogram.filters import BaseFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards.drafts import DraftOrgCb
from bot.services.drafts import PENDING
from bot.services.errors import InvalidInput
from db.models import Draft
from handlers.common import message_of
from handlers.participant.draft_texts import explain_draft


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


class OnDraft(BaseFilter):
    """A press on a draft's button whose draft is still (pending=True) or no longer
    (pending=False) awaiting confirmation: hands over `message` and `draft`. Any other press
    falls through to the fallback ("no longer active")."""

    def __init__(self, *, pending: bool) -> None:
        self.pending = pending

    async def __call__(
        self, callback: CallbackQuery, callback_data: DraftOrgCb, session: AsyncSession
    ) -> bool | dict[str, Any]:
        message = message_of(callback)
        draft = await session.get(Draft, callback_data.id)
        if message is None or draft is None or (draft.status == PENDING) != self.pending:
            return False
        return {"message": message, "draft": draft}


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


async def on_wrong_input(message: Message, state: FSMContext) -> None:
    """Anything else in the middle of one of the organizer's draft conversations."""
    current = await state.get_state()
    if current in {s.state for s in TEXT_STATES}:
        await message.answer(
            _("Please send the draft as a Word document (.docx) or paste its text.")
        )
    elif current == NewDraft.agency.state or current == NewDraft.event.state:
        await message.answer(_("Please choose with the buttons."))
    else:
        await message.answer(_("Please send text, or /cancel."))
