"""Drafts for public discussion, the organizer's side: a new draft (new_draft.py), its text
(text.py), publishing it or a new version (publishing.py); following a published draft
(managing.py) and deciding on its comments (deciding.py). The first three are for organizers
only; following and deciding are for organizers and the representatives of the draft's agency
(deciders.py). A participant's press on an organizer-only button or command is told by the
fallback that it is for organizers; any other press on someone else's draft says "no longer
active"."""

from aiogram import Router
from aiogram.filters import StateFilter

from bot.filters import Role, for_commands, guard
from bot.keyboards.drafts import ORGANIZER_ACTIONS, DraftOrgCb
from handlers.common import NOT_A_COMMAND
from handlers.organizer.drafts import deciding, managing, new_draft, publishing, text
from handlers.organizer.drafts.common import Decide, DraftText, NewDraft, on_wrong_input
from handlers.organizer.drafts.deciders import CanDecide


def router() -> Router:
    organizers = Router(name="organizer.drafts.organizers")
    organizers.message.filter(for_commands(Role.ORGANIZER, "newdraft", "managedrafts"))
    organizers.callback_query.filter(
        guard(Role.ORGANIZER, DraftOrgCb, {a.value for a in ORGANIZER_ACTIONS})
    )
    wrong = Router(name="organizer.drafts.wrong_input")
    wrong.message.register(
        on_wrong_input, StateFilter(*NewDraft.__states__, *DraftText.__states__), NOT_A_COMMAND
    )
    organizers.include_routers(new_draft.router(), text.router(), publishing.router(), wrong)

    deciders = Router(name="organizer.drafts.deciders")
    deciders.message.filter(CanDecide())
    deciders.callback_query.filter(CanDecide())
    wrong_reason = Router(name="organizer.drafts.wrong_reason")
    wrong_reason.message.register(on_wrong_input, Decide.reason, NOT_A_COMMAND)
    deciders.include_routers(managing.router(), deciding.router(), wrong_reason)

    r = Router(name="organizer.drafts")
    r.include_routers(organizers, deciders)
    return r
