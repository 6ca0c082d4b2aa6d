"""Buttons of a draft's public discussion. Callback data carries ids only; pages go after the
last item seen (`after`)."""

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.keyboards.pager import add_pager
from bot.services.drafts import ACCEPTED, PARTLY, REJECTED


class DraftAction(StrEnum):
    open = "open"
    outline = "outline"
    chapter = "chapter"
    clause = "clause"
    next = "next"
    prev = "prev"
    top = "top"
    comments = "comments"
    comment = "comment"
    wording = "wording"
    support = "support"
    name = "name"
    cancel = "cancel"


class DraftOrgAction(StrEnum):
    skip = "skip"
    agency = "agency"
    event = "event"
    pasted = "pasted"
    confirm = "confirm"
    discard = "discard"
    translation = "translate"
    version = "version"
    manage = "manage"
    review = "review"
    decide = "decide"
    table = "table"
    chart = "chart"


# Organizers only; the rest (manage, review, decide, table, chart) also serve the
# representatives of the draft's agency.
ORGANIZER_ACTIONS = frozenset(
    {
        DraftOrgAction.skip,
        DraftOrgAction.agency,
        DraftOrgAction.event,
        DraftOrgAction.pasted,
        DraftOrgAction.confirm,
        DraftOrgAction.discard,
        DraftOrgAction.translation,
        DraftOrgAction.version,
    }
)


class DraftCb(CallbackData, prefix="dft"):
    """Participants: open (draft), outline (draft, after chapter), chapter (draft, after =
    chapter), clause / next / prev / comment / wording / comments (clause, after = comment),
    top (draft), support (comment), name (id 1 = with my name, 0 = without)."""

    action: str  # a DraftAction
    id: int = 0
    after: int = 0


class DraftOrgCb(CallbackData, prefix="dfo"):
    """Organizers: agency, event (value = id or ""), confirm, discard, translate, manage,
    review (draft, id; value = comment after), decide (comment; value = decision), table,
    chart, version."""

    action: str  # a DraftOrgAction
    id: int = 0
    value: str = ""


def draft_list(items: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for draft_id, label in items:
        builder.button(text=label[:60], callback_data=DraftCb(action=DraftAction.open, id=draft_id))
    builder.adjust(1)
    return builder.as_markup()


def outline(
    draft_id: int, chapters: list[tuple[int, str]], more_after: int | None, first: bool
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for chapter, label in chapters:
        builder.button(
            text=label[:60],
            callback_data=DraftCb(action=DraftAction.chapter, id=draft_id, after=chapter),
        )
    sizes = [1] * len(chapters)
    nav = add_pager(
        builder,
        None if first else DraftCb(action=DraftAction.outline, id=draft_id),
        None
        if more_after is None
        else DraftCb(action=DraftAction.outline, id=draft_id, after=more_after),
    )
    if nav:
        sizes.append(nav)
    builder.button(
        text=_("🔥 Most discussed"), callback_data=DraftCb(action=DraftAction.top, id=draft_id)
    )
    sizes.append(1)
    builder.adjust(*sizes)
    return builder.as_markup()


def clause(
    clause_id: int, draft_id: int, comments: int, is_open: bool, has_prev: bool, has_next: bool
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    sizes = []
    if is_open:
        builder.button(
            text=_("💬 Comment"), callback_data=DraftCb(action=DraftAction.comment, id=clause_id)
        )
        builder.button(
            text=_("✏️ Propose wording"),
            callback_data=DraftCb(action=DraftAction.wording, id=clause_id),
        )
        sizes.append(2)
    if comments:
        builder.button(
            text=_("👀 Comments ({count})").format(count=comments),
            callback_data=DraftCb(action=DraftAction.comments, id=clause_id),
        )
        sizes.append(1)
    nav = add_pager(
        builder,
        DraftCb(action=DraftAction.prev, id=clause_id) if has_prev else None,
        DraftCb(action=DraftAction.next, id=clause_id) if has_next else None,
    )
    if nav:
        sizes.append(nav)
    builder.button(
        text=_("📑 Contents"), callback_data=DraftCb(action=DraftAction.outline, id=draft_id)
    )
    sizes.append(1)
    builder.adjust(*sizes)
    return builder.as_markup()


def clause_links(clauses: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for clause_id, label in clauses:
        builder.button(
            text=label[:60], callback_data=DraftCb(action=DraftAction.clause, id=clause_id)
        )
    builder.adjust(1)
    return builder.as_markup()


def comment_actions(
    comment_id: int, can_support: bool, clause_id: int, more_after: int | None
) -> InlineKeyboardMarkup | None:
    builder = InlineKeyboardBuilder()
    if can_support:
        builder.button(
            text=_("👍 Support"), callback_data=DraftCb(action=DraftAction.support, id=comment_id)
        )
    if more_after is not None:
        add_pager(
            builder, None, DraftCb(action=DraftAction.comments, id=clause_id, after=more_after)
        )
    if not can_support and more_after is None:
        return None
    builder.adjust(1)
    return builder.as_markup()


def name_choice() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("With my name"), callback_data=DraftCb(action=DraftAction.name, id=1))
    builder.button(text=_("Without my name"), callback_data=DraftCb(action=DraftAction.name, id=0))
    builder.button(text=_("Cancel"), callback_data=DraftCb(action=DraftAction.cancel))
    builder.adjust(2, 1)
    return builder.as_markup()


def cancel_only() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Cancel"), callback_data=DraftCb(action=DraftAction.cancel))
    return builder.as_markup()


# --- organizers -----------------------------------------------------------------------------


def org_pick(
    action: DraftOrgAction, options: list[tuple[str, str]], skip: bool
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for value, label in options:
        builder.button(text=label[:60], callback_data=DraftOrgCb(action=action, value=value))
    if skip:
        builder.button(text=_("Skip"), callback_data=DraftOrgCb(action=action, value=""))
    builder.adjust(1)
    return builder.as_markup()


def org_skip(action: DraftOrgAction = DraftOrgAction.skip) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Skip"), callback_data=DraftOrgCb(action=action))
    return builder.as_markup()


def pasted_done() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Done"), callback_data=DraftOrgCb(action=DraftOrgAction.pasted))
    return builder.as_markup()


def confirm_outline(draft_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("✅ Publish"), callback_data=DraftOrgCb(action=DraftOrgAction.confirm, id=draft_id)
    )
    builder.button(
        text=_("🌐 Add the other language version"),
        callback_data=DraftOrgCb(action=DraftOrgAction.translation, id=draft_id),
    )
    builder.button(
        text=_("Discard"), callback_data=DraftOrgCb(action=DraftOrgAction.discard, id=draft_id)
    )
    builder.adjust(1)
    return builder.as_markup()


def manage_list(items: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for draft_id, label in items:
        builder.button(
            text=label[:60], callback_data=DraftOrgCb(action=DraftOrgAction.manage, id=draft_id)
        )
    builder.adjust(1)
    return builder.as_markup()


def manage(draft_id: int, organizer: bool = True) -> InlineKeyboardMarkup:
    """Organizers see every action; an agency's representative all but a new version."""
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("🗂 Decide on comments"),
        callback_data=DraftOrgCb(action=DraftOrgAction.review, id=draft_id),
    )
    builder.button(
        text=_("📄 Table of comments"),
        callback_data=DraftOrgCb(action=DraftOrgAction.table, id=draft_id),
    )
    builder.button(
        text=_("📊 Comments by region"),
        callback_data=DraftOrgCb(action=DraftOrgAction.chart, id=draft_id),
    )
    if organizer:
        builder.button(
            text=_("🆕 Upload a new version"),
            callback_data=DraftOrgCb(action=DraftOrgAction.version, id=draft_id),
        )
    builder.adjust(1)
    return builder.as_markup()


def decide(comment_id: int, draft_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for decision, label in (
        (ACCEPTED, _("✅ Accepted")),
        (PARTLY, _("☑️ Partly accepted")),
        (REJECTED, _("❌ Not accepted")),
    ):
        builder.button(
            text=label,
            callback_data=DraftOrgCb(action=DraftOrgAction.decide, id=comment_id, value=decision),
        )
    builder.button(
        text=_("Skip"),
        callback_data=DraftOrgCb(action=DraftOrgAction.review, id=draft_id, value=str(comment_id)),
    )
    builder.adjust(1)
    return builder.as_markup()
