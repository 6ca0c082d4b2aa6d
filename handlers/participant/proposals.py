"""A participant's proposals: write one (proposals_form.py, proposals_submit.py), "My
proposals" (proposals_mine.py), browse and search (proposals_browse.py), open one, support it,
withdraw one's own (proposals_open.py). The card is drawn in proposals_card.py.

`router()` is the index, in matching order: commands first, so that a command sent in the
middle of the form is a command and not the proposal's text."""

import re

from aiogram import F, Router
from aiogram.filters import Command, CommandStart, StateFilter
from aiogram.filters.callback_data import CallbackQueryFilter

from bot.keyboards import callbacks as cb
from bot.keyboards import common as menu
from bot.keyboards.callbacks import ProposalAction, ProposeStep
from handlers.common import MenuButton, WithMessage
from handlers.participant import proposals_browse as browse
from handlers.participant import proposals_form as form
from handlers.participant import proposals_mine as mine
from handlers.participant import proposals_open as one
from handlers.participant import proposals_submit as submit
from handlers.participant.pressed import Pressed, on_no_longer_active, on_stale
from handlers.participant.proposals_form import Propose
from handlers.wizard import Input, conversations

__all__ = ["Propose", "link_router", "router"]

PROPOSAL_COMMAND = re.compile(r"p(\d+)")
PROPOSAL_LINK = CommandStart(deep_link=True, magic=F.args.regexp(one.LINK_ARGS))


def _step(step: ProposeStep) -> tuple[CallbackQueryFilter, WithMessage]:
    return cb.ProposeCb.filter(F.step == step), WithMessage()


def _action(action: ProposalAction) -> CallbackQueryFilter:
    return cb.ProposalCb.filter(F.action == action)


def link_router() -> Router:
    """/start p_<id>: the public site's "Support it in Telegram" opens the proposal's card
    (before the start router, which would take any /start)."""
    r = Router(name="proposals_link")
    r.message.register(one.on_open, PROPOSAL_LINK, one.ProposalCommand())
    r.message.register(one.on_no_such_proposal, PROPOSAL_LINK)
    return r


def router() -> Router:
    r = conversations(Router(name="proposals"))
    r.message.register(form.on_propose, Command("propose"))
    r.message.register(form.on_propose, MenuButton(menu.MENU_PROPOSE))
    r.message.register(mine.on_mine, Command("myproposals"))
    r.message.register(mine.on_mine, MenuButton(menu.MENU_MY_PROPOSALS))
    r.message.register(browse.on_browse, Command("proposals"))
    r.message.register(browse.on_search, Command("search"))
    r.message.register(one.on_open, Command(PROPOSAL_COMMAND), one.ProposalCommand())
    r.message.register(one.on_no_such_proposal, Command(PROPOSAL_COMMAND))
    # The form, a step at a time (the table is in proposals_form.py); a button of another
    # step is no longer active.
    # Handled even with no message: the press is then told it is no longer active.
    r.callback_query.register(
        form.on_event_proposal, cb.ProposeCb.filter(F.step == ProposeStep.event)
    )
    r.callback_query.register(submit.on_cancel, StateFilter(Propose), *_step(ProposeStep.cancel))
    r.callback_query.register(
        form.on_skip_attachment, Propose.attachment, *_step(ProposeStep.skip_attachment)
    )
    r.callback_query.register(submit.on_edit, Propose.preview, *_step(ProposeStep.edit))
    r.callback_query.register(
        submit.on_support_instead, Propose.preview, *_step(ProposeStep.support_instead)
    )
    r.callback_query.register(submit.on_submit, Propose.preview, *_step(ProposeStep.submit))
    buttons = StateFilter(*form.WIZARD.states(Input.BUTTONS))
    r.callback_query.register(form.on_choice, buttons, cb.ProposeCb.filter(), WithMessage())
    r.callback_query.register(on_no_longer_active, cb.ProposeCb.filter())
    r.message.register(form.WIZARD.on_text, StateFilter(*form.WIZARD.states(Input.TEXT)), F.text)
    r.message.register(form.on_attachment, Propose.attachment, F.photo | F.document)
    r.message.register(form.on_attachment_text, Propose.attachment, F.text)
    r.message.register(form.on_not_text, StateFilter(*form.WIZARD.states(Input.TEXT, Input.OWN)))
    r.message.register(form.on_buttons_expected, buttons)
    # Reading.
    r.callback_query.register(browse.on_browse_press, cb.BrowseCb.filter())
    r.callback_query.register(mine.on_mine_page, cb.MinePageCb.filter(), Pressed())
    r.callback_query.register(on_stale, cb.MinePageCb.filter())
    r.callback_query.register(browse.on_search_page, cb.SearchPageCb.filter(), Pressed())
    r.callback_query.register(on_no_longer_active, cb.SearchPageCb.filter())
    seen = one.PressedCard(visible=True)
    r.callback_query.register(one.on_open, _action(ProposalAction.open), seen)
    r.callback_query.register(one.on_withdraw, _action(ProposalAction.withdraw), seen)
    r.callback_query.register(one.on_support, _action(ProposalAction.support), one.PressedCard())
    r.callback_query.register(
        one.on_take_back, _action(ProposalAction.unsupport), one.PressedCard()
    )
    r.callback_query.register(on_no_longer_active, cb.ProposalCb.filter())
    return r
