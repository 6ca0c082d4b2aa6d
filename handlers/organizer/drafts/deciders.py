"""Who may decide on a draft's comments: organizers, and the representatives of the agency
responsible for the draft the button, command or reason is about (/managedrafts: of any
agency with a draft). The filter also tells the handlers whether the person is an organizer
(only organizers may upload a new version)."""

from typing import Any

from aiogram.filters import BaseFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, TelegramObject
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.filters import Role, has_role
from bot.keyboards.drafts import DraftOrgAction, DraftOrgCb
from bot.services import agencies
from bot.services.drafts import publishing
from db.models import Draft, DraftComment, User
from handlers.organizer.drafts.common import Decide


class CanDecide(BaseFilter):
    async def __call__(
        self,
        event: TelegramObject,
        settings: Settings,
        user: User,
        session: AsyncSession,
        state: FSMContext,
        raw_state: str | None = None,
    ) -> bool | dict[str, Any]:
        if await has_role(Role.ORGANIZER, user, settings, session):
            return {"organizer": True}
        representative = {"organizer": False}
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
            if pressed.action == DraftOrgAction.decide:
                comment = await session.get(DraftComment, pressed.id)
                draft_id = comment.draft_id if comment is not None else None
        elif not isinstance(event, Message):
            return False
        elif (event.text or "").startswith("/managedrafts"):
            # The list shows the drafts of the person's agencies.
            found = await publishing.drafts_of_representative(session, user)
            return representative if found else False
        elif raw_state == Decide.reason.state:
            comment = await session.get(DraftComment, (await state.get_data()).get("comment_id"))
            draft_id = comment.draft_id if comment is not None else None
        else:
            return False
        draft = await session.get(Draft, draft_id) if draft_id else None
        if draft is None or not await agencies.is_representative(session, user, draft.agency_id):
            return False
        return representative
