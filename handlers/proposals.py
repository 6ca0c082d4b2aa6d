"""Participants' proposals: write one (topic, region, text, attachment, name or anonymous,
similar ones, preview), "My proposals", browse, search, open, support, withdraw."""

import re
from contextlib import suppress
from html import escape
from typing import cast
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.i18n import format_day, translations
from bot.keyboards import common as kb
from bot.keyboards.callbacks import BrowseCb, MinePageCb, ProposalCb, ProposeCb, SearchPageCb
from bot.notices.proposals import status_name
from bot.services import button_lists, proposals, reference, users
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.proposals import ProposalDraft
from bot.text_split import shorten, split_text
from db.models import Event, Proposal, User
from handlers.common import drop_buttons, message_of, no_longer_active
from handlers.menu import MenuButton
from handlers.proposal_cards import card_buttons, send_card


class Propose(StatesGroup):
    topic = State()
    region = State()
    text = State()
    attachment = State()
    anonymity = State()
    preview = State()


def router() -> Router:
    r = Router(name="proposals")
    r.message.register(on_propose, Command("propose"))
    r.message.register(on_propose, MenuButton(kb.MENU_PROPOSE))
    r.message.register(on_mine, Command("myproposals"))
    r.message.register(on_mine, MenuButton(kb.MENU_MY_PROPOSALS))
    r.message.register(on_browse, Command("proposals"))
    r.message.register(on_search, Command("search"))
    r.message.register(on_open_command, Command(re.compile(r"p(\d+)")))
    r.callback_query.register(on_event_proposal, ProposeCb.filter(F.step == "event"))
    r.callback_query.register(on_step, ProposeCb.filter())
    r.message.register(on_text, Propose.text, F.text)
    r.message.register(on_attachment, Propose.attachment, F.photo | F.document)
    r.message.register(on_attachment_text, Propose.attachment, F.text)
    r.message.register(on_not_text, StateFilter(Propose.text, Propose.attachment))
    r.message.register(
        on_buttons_expected, StateFilter(Propose.topic, Propose.region, Propose.anonymity)
    )
    r.callback_query.register(on_browse_press, BrowseCb.filter())
    r.callback_query.register(on_mine_page, MinePageCb.filter())
    r.callback_query.register(on_search_page, SearchPageCb.filter())
    r.callback_query.register(on_card_action, ProposalCb.filter(F.action.in_({"open", "withdraw"})))
    r.callback_query.register(on_support, ProposalCb.filter(F.action == "support"))
    r.callback_query.register(on_take_back, ProposalCb.filter(F.action == "unsupport"))
    return r


# --- writing a proposal ------------------------------------------------------------------


async def on_propose(
    message: Message,
    user: User,
    state: FSMContext,
    session: AsyncSession,
    i18n: I18n,
    settings: Settings,
) -> None:
    await _begin(message, state, session, user, i18n, settings, {})


async def _begin(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    settings: Settings,
    data: dict[str, int],
) -> None:
    if not user.is_registered:
        await message.answer(_("To submit proposals, register first: send /start."))
        return
    if await proposals.limit_reached(session, user, daily_limit=settings.proposals_per_day):
        await message.answer(_daily_limit_text(settings.proposals_per_day))
        return
    await state.set_state(Propose.topic)
    await state.set_data(data)
    await _ask_topic(message, session, i18n.current_locale)


def _daily_limit_text(limit: int) -> str:
    return ngettext(
        "You have sent {limit} proposal today, the most a day. Please try again tomorrow.",
        "You have sent {limit} proposals today, the most a day. Please try again tomorrow.",
        limit,
    ).format(limit=limit)


async def on_event_proposal(
    callback: CallbackQuery,
    callback_data: ProposeCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    """The event card's "A proposal to this event": the form starts, tied to the event."""
    message = message_of(callback)
    event = await session.get(Event, int(callback_data.value or 0))
    if message is None or event is None or event.status != "published":
        no_longer_active(callback_answer)
        return
    await _begin(message, state, session, user, i18n, settings, {"event_id": event.id})


async def _ask_topic(message: Message, session: AsyncSession, locale: str) -> None:
    builder = InlineKeyboardBuilder()
    for topic in await reference.topics(session):
        builder.button(
            text=topic.name(locale), callback_data=ProposeCb(step="topic", value=topic.code)
        )
    builder.button(text=_("Cancel"), callback_data=ProposeCb(step="cancel"))
    builder.adjust(1)
    await message.answer(
        _("What is your proposal about? Choose a topic."), reply_markup=builder.as_markup()
    )


async def _ask_region(message: Message, session: AsyncSession, locale: str) -> None:
    builder = InlineKeyboardBuilder()
    for region in await reference.all_regions(session):
        builder.button(
            text=region.name(locale), callback_data=ProposeCb(step="region", value=region.code)
        )
    builder.button(text=_("Cancel"), callback_data=ProposeCb(step="cancel"))
    builder.adjust(2)
    await message.answer(
        _("Which region does it concern? «Whole country» and «abroad» are there too."),
        reply_markup=builder.as_markup(),
    )


async def on_step(
    callback: CallbackQuery,
    callback_data: ProposeCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    current = await state.get_state()
    expected = {
        "topic": Propose.topic.state,
        "region": Propose.region.state,
        "anonymous": Propose.anonymity.state,
        "skip_attachment": Propose.attachment.state,
        "submit": Propose.preview.state,
        "edit": Propose.preview.state,
        "support_instead": Propose.preview.state,
    }
    step = callback_data.step
    if (
        message is None
        or (step != "cancel" and expected.get(step) != current)
        or (
            step == "cancel"
            and (current is None or not current.startswith(Propose.__full_group_name__))
        )
    ):
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    locale = i18n.current_locale
    if step == "cancel":
        await state.clear()
        await message.answer(_("The proposal was not sent."), reply_markup=kb.main_menu())
    elif step == "topic":
        await state.update_data({"topic": callback_data.value})
        await state.set_state(Propose.region)
        await _ask_region(message, session, locale)
    elif step == "region":
        await state.update_data({"region": callback_data.value})
        await state.set_state(Propose.text)
        await message.answer(
            _(
                "Write your proposal: what should be done, where, and why "
                "({minimum} to {maximum} characters)."
            ).format(minimum=proposals.TEXT_MIN, maximum=proposals.TEXT_MAX)
        )
    elif step == "skip_attachment":
        await _ask_anonymity(message, state)
    elif step == "anonymous":
        await state.update_data({"anonymous": callback_data.value == "yes"})
        await _show_preview(message, state, session, user, locale, settings.tz)
    elif step == "edit":
        await state.set_state(Propose.text)
        await message.answer(_("Send the new text of your proposal."))
    elif step == "support_instead":
        await _support_instead(message, state, session, user, int(callback_data.value))
    elif step == "submit":
        await _submit(message, state, session, user, settings)


async def on_text(message: Message, state: FSMContext) -> None:
    try:
        text = proposals.check_text(message.text or "")
    except InvalidInput as error:
        if error.reason == "proposal_too_short":
            await message.answer(
                _("Too short: {length} characters. Please write at least {minimum}.").format(
                    **error.details
                )
            )
        else:
            await message.answer(
                _("Too long: {length} characters. Please keep within {maximum}.").format(
                    **error.details
                )
            )
        return
    data = await state.update_data({"text": text})
    if "anonymous" in data:  # editing the text from the preview
        await state.set_state(Propose.preview)
        await message.answer(_("The text is updated."))
        await _show_preview_again(message, state)
        return
    await state.set_state(Propose.attachment)
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Skip"), callback_data=ProposeCb(step="skip_attachment"))
    await message.answer(
        _("You may add a photo or a document (for example a letter or a map), or press «Skip»."),
        reply_markup=builder.as_markup(),
    )


async def on_attachment(message: Message, state: FSMContext) -> None:
    if message.photo:
        await state.update_data(
            {"attachment_kind": "photo", "attachment": message.photo[-1].file_id}
        )
    elif message.document:
        await state.update_data(
            {"attachment_kind": "document", "attachment": message.document.file_id}
        )
    await _ask_anonymity(message, state)


async def on_attachment_text(message: Message, state: FSMContext, i18n: I18n) -> None:
    if message.text in translations(i18n, "Skip"):
        await _ask_anonymity(message, state)
        return
    await message.answer(_("Please send a photo or a document, or press «Skip»."))


async def _ask_anonymity(message: Message, state: FSMContext) -> None:
    await state.set_state(Propose.anonymity)
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Under my name"), callback_data=ProposeCb(step="anonymous", value="no"))
    builder.button(text=_("Anonymously"), callback_data=ProposeCb(step="anonymous", value="yes"))
    builder.adjust(2)
    await message.answer(
        _("Publish it under your name or anonymously? Organizers always see the author."),
        reply_markup=builder.as_markup(),
    )


async def _show_preview(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    locale: str,
    tz: ZoneInfo,
) -> None:
    data = await state.get_data()
    hints = await proposals.similar(session, data["topic"], data["text"])
    if hints:
        await message.answer(
            _("Similar proposals are already published. You can support one of them instead:")
        )
        for hint in hints:
            builder = InlineKeyboardBuilder()
            builder.button(
                text=_("👍 Support #{id} instead").format(id=hint.id),
                callback_data=ProposeCb(step="support_instead", value=str(hint.id)),
            )
            await send_card(
                message,
                session,
                hint,
                user,
                locale,
                organizer=False,
                tz=tz,
                markup=builder.as_markup(),
            )
    await state.set_state(Propose.preview)
    await _show_preview_again(message, state)


async def _show_preview_again(message: Message, state: FSMContext) -> None:
    data = await state.get_data()
    who = _("anonymously") if data.get("anonymous") else _("under your name")
    await message.answer(
        _("<b>Your proposal</b> (published {who} after moderation):").format(who=who)
    )
    for piece in split_text(data["text"]):
        await message.answer(escape(piece, quote=False))
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Submit"), callback_data=ProposeCb(step="submit"))
    builder.button(text=_("Edit the text"), callback_data=ProposeCb(step="edit"))
    builder.button(text=_("Cancel"), callback_data=ProposeCb(step="cancel"))
    builder.adjust(1)
    await message.answer(_("Submit it?"), reply_markup=builder.as_markup())


async def _submit(
    message: Message, state: FSMContext, session: AsyncSession, user: User, settings: Settings
) -> None:
    data = await state.get_data()
    draft = ProposalDraft(
        topic_code=data["topic"],
        region_code=data["region"],
        text=data["text"],
        is_anonymous=bool(data.get("anonymous")),
        event_id=data.get("event_id"),
        attachment_kind=data.get("attachment_kind"),
        attachment_file_id=data.get("attachment"),
    )
    try:
        proposal = await proposals.submit(
            session, user, draft, daily_limit=settings.proposals_per_day
        )
    except InvalidInput as error:
        if error.reason == "daily_limit":
            # The conversation (and the draft in it) stays: "Submit" works again tomorrow.
            await message.answer(
                _daily_limit_text(cast(int, error.details["limit"]))
                + "\n"
                + _("Your draft is kept: press «Submit» again tomorrow, or /cancel.")
            )
            await _show_preview_again(message, state)
            return
        await message.answer(_("Please check what you entered and try again."))
        return
    await state.clear()
    await message.answer(
        _(
            "Thank you! Proposal #{id} is sent and waits for moderation. "
            "You will be told of every change: /myproposals"
        ).format(id=proposal.id),
        reply_markup=kb.main_menu(),
    )


async def _support_instead(
    message: Message, state: FSMContext, session: AsyncSession, user: User, proposal_id: int
) -> None:
    proposal = await session.get(Proposal, proposal_id)
    if proposal is None:
        return
    try:
        await proposals.support(session, proposal, user)
    except InvalidInput:
        await message.answer(_("This proposal cannot be supported now."))
        return
    await state.clear()
    await message.answer(
        _("You support proposal #{id} now ({count} in all). Your own draft was not sent.").format(
            id=proposal.id, count=proposal.support_count
        ),
        reply_markup=kb.main_menu(),
    )


async def on_not_text(message: Message, state: FSMContext) -> None:
    if await state.get_state() == Propose.attachment.state:
        await message.answer(_("Please send a photo or a document, or press «Skip»."))
    else:
        await message.answer(_("Please write your proposal as text."))


async def on_buttons_expected(message: Message) -> None:
    await message.answer(_("Please choose one of the buttons."))


# --- reading ---------------------------------------------------------------------------


async def on_mine(message: Message, user: User, session: AsyncSession, i18n: I18n, tz) -> None:  # type: ignore[no-untyped-def]
    await _show_mine(message, user, session, i18n.current_locale, tz, None)


async def on_mine_page(
    callback: CallbackQuery,
    callback_data: MinePageCb,
    user: User,
    session: AsyncSession,
    i18n: I18n,
    tz,  # type: ignore[no-untyped-def]
) -> None:
    message = message_of(callback)
    if message is None:
        return
    await drop_buttons(callback)
    await _show_mine(message, user, session, i18n.current_locale, tz, callback_data.before)


async def _show_mine(
    message: Message,
    user: User,
    session: AsyncSession,
    locale: str,
    tz,  # type: ignore[no-untyped-def]
    before_id: int | None,
) -> None:
    items, total = await proposals.mine(session, user, before_id=before_id or None)
    if not total:
        await message.answer(
            _("You have not sent any proposals yet. /propose"), reply_markup=kb.main_menu()
        )
        return
    lines = [_("<b>My proposals</b> ({count})").format(count=total)]
    builder = InlineKeyboardBuilder()
    for item in items:
        lines.append(
            f"#{item.id} · {format_day(item.created_at, locale, tz)} · {status_name(item.status)}"
        )
        builder.button(
            text=_("Open #{id}").format(id=item.id),
            callback_data=ProposalCb(action="open", id=item.id),
        )
    sizes = [2] * ((len(items) + 1) // 2)
    if len(items) == proposals.PAGE_SIZE:
        builder.button(text=_("Next ▶"), callback_data=MinePageCb(before=items[-1].id))
        sizes.append(1)
    builder.adjust(*sizes)
    await message.answer("\n".join(lines), reply_markup=builder.as_markup())


async def on_open_command(
    message: Message,
    command: CommandObject,
    user: User,
    session: AsyncSession,
    i18n: I18n,
    settings: Settings,
    tz,  # type: ignore[no-untyped-def]
) -> None:
    proposal_id = int(command.regexp_match.group(1)) if command.regexp_match else 0
    await _open(message, session, user, i18n.current_locale, settings, proposal_id, tz)


async def _open(
    message: Message,
    session: AsyncSession,
    user: User,
    locale: str,
    settings: Settings,
    proposal_id: int,
    tz,
) -> None:  # type: ignore[no-untyped-def]
    proposal = await session.get(Proposal, proposal_id)
    organizer = users.can_organize(settings.admin_ids, user)
    if proposal is None or not proposals.visible_to(proposal, user, organizer=organizer):
        await message.answer(
            _("There is no such proposal. Published ones are in /proposals, yours in /myproposals.")
        )
        return
    await send_card(
        message,
        session,
        proposal,
        user,
        locale,
        organizer=organizer,
        tz=tz,
        markup=await card_buttons(session, proposal, user),
    )
    if proposal.author_id == user.id or organizer:
        lines = [_("<b>History</b>")]
        for change in await proposals.history(session, proposal):
            line = f"{format_day(change.created_at, locale, tz)}: {status_name(change.status)}"
            if change.note:
                line += f" ({escape(change.note, quote=False)})"
            lines.append(line)
        await message.answer("\n".join(lines))


async def on_card_action(
    callback: CallbackQuery,
    callback_data: ProposalCb,
    user: User,
    session: AsyncSession,
    i18n: I18n,
    settings: Settings,
    callback_answer: CallbackAnswer,
    tz,  # type: ignore[no-untyped-def]
) -> None:
    message = message_of(callback)
    proposal = await session.get(Proposal, callback_data.id)
    organizer = users.can_organize(settings.admin_ids, user)
    if (
        message is None
        or proposal is None
        or not proposals.visible_to(proposal, user, organizer=organizer)
    ):
        no_longer_active(callback_answer)
        return
    if callback_data.action == "open":
        await _open(message, session, user, i18n.current_locale, settings, proposal.id, tz)
    elif callback_data.action == "withdraw":
        try:
            await proposals.withdraw(session, proposal, user)
        except (InvalidInput, NotAllowed):
            no_longer_active(callback_answer)
            return
        await drop_buttons(callback)
        await message.answer(_("Proposal #{id} is withdrawn.").format(id=proposal.id))


async def on_support(
    callback: CallbackQuery,
    callback_data: ProposalCb,
    user: User,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    proposal = await session.get(Proposal, callback_data.id)
    if message is None or proposal is None:
        no_longer_active(callback_answer)
        return
    try:
        await proposals.support(session, proposal, user)
    except InvalidInput:
        no_longer_active(callback_answer)
        return
    callback_answer.text = _("You support this proposal ({count}).").format(
        count=proposal.support_count
    )
    await _refresh_card_buttons(message, session, proposal, user)


async def on_take_back(
    callback: CallbackQuery,
    callback_data: ProposalCb,
    user: User,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    proposal = await session.get(Proposal, callback_data.id)
    if message is None or proposal is None:
        no_longer_active(callback_answer)
        return
    await proposals.take_back_support(session, proposal, user)
    callback_answer.text = _("Your support is taken back ({count}).").format(
        count=proposal.support_count
    )
    await _refresh_card_buttons(message, session, proposal, user)


async def _refresh_card_buttons(
    message: Message, session: AsyncSession, proposal: Proposal, user: User
) -> None:
    # An older copy of the card may already show these buttons: nothing to edit then.
    with suppress(TelegramBadRequest):
        await message.edit_reply_markup(reply_markup=await card_buttons(session, proposal, user))


def _list_entry(item: Proposal, lines: list[str], builder: InlineKeyboardBuilder) -> None:
    """One proposal in a list (browse or search): number, support, the start of its text,
    and a button that opens it."""
    snippet = shorten(item.text, 160)
    lines.append(f"\n<b>#{item.id}</b> · 👍 {item.support_count}\n{escape(snippet, quote=False)}")
    builder.button(
        text=_("Open #{id}").format(id=item.id),
        callback_data=ProposalCb(action="open", id=item.id),
    )


async def on_browse(message: Message, session: AsyncSession, i18n: I18n) -> None:
    await _show_page(message, session, i18n.current_locale, BrowseCb())


async def on_browse_press(
    callback: CallbackQuery, callback_data: BrowseCb, session: AsyncSession, i18n: I18n
) -> None:
    message = message_of(callback)
    if message is None:
        return
    await _show_page(message, session, i18n.current_locale, callback_data, edit=True)


async def _show_page(
    message: Message, session: AsyncSession, locale: str, view: BrowseCb, edit: bool = False
) -> None:
    builder = InlineKeyboardBuilder()
    if view.pick == "region":
        for region in await reference.all_regions(session):
            builder.button(
                text=region.name(locale),
                callback_data=view.model_copy(
                    update={"region": region.code, "pick": "", "page": 0}
                ),
            )
        builder.button(
            text=_("Any region"),
            callback_data=view.model_copy(update={"region": "", "pick": "", "page": 0}),
        )
        builder.adjust(2)
        text = _("Choose a region:")
    elif view.pick == "topic":
        for topic in await reference.topics(session):
            builder.button(
                text=topic.name(locale),
                callback_data=view.model_copy(update={"topic": topic.code, "pick": "", "page": 0}),
            )
        builder.button(
            text=_("Any topic"),
            callback_data=view.model_copy(update={"topic": "", "pick": "", "page": 0}),
        )
        builder.adjust(1)
        text = _("Choose a topic:")
    else:
        items, total = await proposals.browse(
            session,
            region=view.region or None,
            topic=view.topic or None,
            sort=view.sort,
            page=view.page,
        )
        capped = total >= proposals.SEARCH_COUNT_CAP
        shown_total = f"{total}+" if capped else str(total)
        lines = [_("<b>Published proposals</b>: {count}").format(count=shown_total)]
        for item in items:
            _list_entry(item, lines, builder)
        if not items:
            lines.append(_("Nothing here yet."))
        row = [len(items)] if items else []
        nav = 0
        if view.page > 0:
            builder.button(
                text=_("◀ Previous"), callback_data=view.model_copy(update={"page": view.page - 1})
            )
            nav += 1
        full_page = len(items) == proposals.PAGE_SIZE
        if (view.page + 1) * proposals.PAGE_SIZE < total or (capped and full_page):
            builder.button(
                text=_("Next ▶"), callback_data=view.model_copy(update={"page": view.page + 1})
            )
            nav += 1
        builder.button(text=_("Region"), callback_data=view.model_copy(update={"pick": "region"}))
        builder.button(text=_("Topic"), callback_data=view.model_copy(update={"pick": "topic"}))
        other = "support" if view.sort == "new" else "new"
        builder.button(
            text=_("Sort: most supported") if other == "support" else _("Sort: newest"),
            callback_data=view.model_copy(update={"sort": other, "page": 0}),
        )
        builder.adjust(*([1] * row[0] if row else []), *([nav] if nav else []), 2, 1)
        text = "\n".join(lines)
    if edit:
        await message.edit_text(text, reply_markup=builder.as_markup())
    else:
        await message.answer(text, reply_markup=builder.as_markup())


async def on_search(message: Message, command: CommandObject, session: AsyncSession) -> None:
    query = (command.args or "").strip()
    if not query:
        await message.answer(
            _("Write the words after the command, for example: /search Баткен суу")
        )
        return
    await _show_found(message, session, query, "", None)


async def on_search_page(
    callback: CallbackQuery,
    callback_data: SearchPageCb,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    query = await button_lists.read(session, callback_data.token)
    if message is None or query is None:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    await _show_found(message, session, query, callback_data.token, callback_data.before)


async def _show_found(
    message: Message, session: AsyncSession, query: str, token: str, before_id: int | None
) -> None:
    items, total = await proposals.search(session, query, before_id=before_id)
    if not total:
        await message.answer(_("Nothing found. Try other words, or browse all: /proposals"))
        return
    shown_total = f"{total}+" if total >= proposals.SEARCH_COUNT_CAP else str(total)
    lines = [_("Found: {count}").format(count=shown_total)]
    builder = InlineKeyboardBuilder()
    for item in items:
        _list_entry(item, lines, builder)
    if not items:
        lines.append(_("That is all."))
    if len(items) == proposals.PAGE_SIZE:
        token = token or await button_lists.keep(session, query)
        builder.button(
            text=_("Next ▶"), callback_data=SearchPageCb(token=token, before=items[-1].id)
        )
    builder.adjust(1)
    await message.answer("\n".join(lines), reply_markup=builder.as_markup())
