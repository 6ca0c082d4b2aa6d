"""Buttons of a participant's proposals: the form, the card, "my proposals", browsing and
search. The callback data classes are in bot/keyboards/callbacks.py."""

from collections.abc import Sequence

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.keyboards.agencies import item_actions
from bot.keyboards.callbacks import (
    BrowseCb,
    MinePageCb,
    ProposalAction,
    ProposalCb,
    ProposeCb,
    ProposeStep,
    SearchPageCb,
)
from bot.keyboards.common import Choice
from bot.keyboards.pager import add_pager
from db.models import Forwarding

# --- the form ------------------------------------------------------------------------------


def form_choice(
    step: ProposeStep, options: Sequence[Choice], locale: str, *, columns: int
) -> InlineKeyboardMarkup:
    """A topic or a region of the proposal, and Cancel."""
    builder = InlineKeyboardBuilder()
    for option in options:
        builder.button(
            text=option.name(locale), callback_data=ProposeCb(step=step, value=option.code)
        )
    builder.button(text=_("Cancel"), callback_data=ProposeCb(step=ProposeStep.cancel))
    builder.adjust(columns)
    return builder.as_markup()


def skip_attachment() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Skip"), callback_data=ProposeCb(step=ProposeStep.skip_attachment))
    return builder.as_markup()


def anonymity() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("Under my name"), callback_data=ProposeCb(step=ProposeStep.anonymous, value="no")
    )
    builder.button(
        text=_("Anonymously"), callback_data=ProposeCb(step=ProposeStep.anonymous, value="yes")
    )
    builder.adjust(2)
    return builder.as_markup()


def support_instead(proposal_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("👍 Support #{id} instead").format(id=proposal_id),
        callback_data=ProposeCb(step=ProposeStep.support_instead, value=str(proposal_id)),
    )
    return builder.as_markup()


def preview() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Submit"), callback_data=ProposeCb(step=ProposeStep.submit))
    builder.button(text=_("Edit the text"), callback_data=ProposeCb(step=ProposeStep.edit))
    builder.button(text=_("Cancel"), callback_data=ProposeCb(step=ProposeStep.cancel))
    builder.adjust(1)
    return builder.as_markup()


# --- one proposal --------------------------------------------------------------------------


def card(
    proposal_id: int, *, supported: bool | None, withdraw: bool, item: Forwarding | None = None
) -> InlineKeyboardMarkup | None:
    """Under a proposal's card: Support, or take it back when the reader already `supported`
    it (None: neither), and Withdraw; then, for a representative, the buttons of the open
    `item` (agencies.item_actions); None when there is no button to show."""
    builder = InlineKeyboardBuilder()
    if supported:
        builder.button(
            text=_("👍 Take back my support"),
            callback_data=ProposalCb(action=ProposalAction.unsupport, id=proposal_id),
        )
    elif supported is not None:
        builder.button(
            text=_("👍 Support"),
            callback_data=ProposalCb(action=ProposalAction.support, id=proposal_id),
        )
    if withdraw:
        builder.button(
            text=_("Withdraw"),
            callback_data=ProposalCb(action=ProposalAction.withdraw, id=proposal_id),
        )
    builder.adjust(1)
    if item is not None:
        builder.attach(InlineKeyboardBuilder.from_markup(item_actions(item)))
    markup = builder.as_markup()
    return markup if markup.inline_keyboard else None


def _open_buttons(builder: InlineKeyboardBuilder, ids: Sequence[int]) -> None:
    for proposal_id in ids:
        builder.button(
            text=_("Open #{id}").format(id=proposal_id),
            callback_data=ProposalCb(action=ProposalAction.open, id=proposal_id),
        )


# --- lists ---------------------------------------------------------------------------------


def mine(ids: Sequence[int], *, more: bool) -> InlineKeyboardMarkup:
    """ "My proposals": two Open buttons a row, then Next below the last one shown."""
    builder = InlineKeyboardBuilder()
    _open_buttons(builder, ids)
    sizes = [2] * ((len(ids) + 1) // 2)
    if more:
        sizes.append(add_pager(builder, None, MinePageCb(before=ids[-1])))
    builder.adjust(*sizes)
    return builder.as_markup()


def found(ids: Sequence[int], token: str | None) -> InlineKeyboardMarkup:
    """A page of /search; Next (below the last one shown) when `token` keeps the query."""
    builder = InlineKeyboardBuilder()
    _open_buttons(builder, ids)
    add_pager(builder, None, SearchPageCb(token=token, before=ids[-1]) if token else None)
    builder.adjust(1)
    return builder.as_markup()


def browse_pick(
    view: BrowseCb, field: str, options: Sequence[Choice], locale: str, *, columns: int
) -> InlineKeyboardMarkup:
    """The choices of one filter of /proposals (`field`: region or topic), then "any"."""
    builder = InlineKeyboardBuilder()
    for option in options:
        chosen = {field: option.code, "pick": "", "page": 0}
        builder.button(text=option.name(locale), callback_data=view.model_copy(update=chosen))
    any_label = _("Any region") if field == "region" else _("Any topic")
    builder.button(
        text=any_label, callback_data=view.model_copy(update={field: "", "pick": "", "page": 0})
    )
    builder.adjust(columns)
    return builder.as_markup()


def browse_page(
    view: BrowseCb, ids: Sequence[int], *, previous: bool, more: bool
) -> InlineKeyboardMarkup:
    """A page of /proposals: Open buttons, Previous/Next, the filters and the sort order."""
    builder = InlineKeyboardBuilder()
    _open_buttons(builder, ids)
    add_pager(
        builder,
        view.model_copy(update={"page": view.page - 1}) if previous else None,
        view.model_copy(update={"page": view.page + 1}) if more else None,
    )
    builder.button(text=_("Region"), callback_data=view.model_copy(update={"pick": "region"}))
    builder.button(text=_("Topic"), callback_data=view.model_copy(update={"pick": "topic"}))
    other = "support" if view.sort == "new" else "new"
    builder.button(
        text=_("Sort: most supported") if other == "support" else _("Sort: newest"),
        callback_data=view.model_copy(update={"sort": other, "page": 0}),
    )
    nav = int(previous) + int(more)
    builder.adjust(*([1] * len(ids)), *([nav] if nav else []), 2, 1)
    return builder.as_markup()
