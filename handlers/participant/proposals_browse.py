"""Reading others' proposals: /proposals (published ones, by region and topic, newest or most
supported first) and /search (words in Kyrgyz or Russian, paged below the last one seen)."""

from html import escape

from aiogram.filters import CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards import proposals as kb
from bot.keyboards.callbacks import BrowseCb, SearchPageCb
from bot.services import button_lists, proposals, reference
from bot.text_split import shorten
from db.models import Proposal
from handlers.common import drop_buttons, message_of, no_longer_active
from handlers.participant.pressed import Reader


def _entry(item: Proposal) -> str:
    """One proposal in a list: number, support and the start of its text."""
    snippet = escape(shorten(item.text, 160), quote=False)
    return f"\n<b>#{item.id}</b> · 👍 {item.support_count}\n{snippet}"


def _counted(total: int) -> str:
    return f"{total}+" if total >= proposals.SEARCH_COUNT_CAP else str(total)


# --- browsing ------------------------------------------------------------------------------


async def on_browse(message: Message, session: AsyncSession, i18n: I18n) -> None:
    text, markup = await _page(session, i18n.current_locale, BrowseCb())
    await message.answer(text, reply_markup=markup)


async def on_browse_press(
    callback: CallbackQuery, callback_data: BrowseCb, session: AsyncSession, i18n: I18n
) -> None:
    if message := message_of(callback):
        text, markup = await _page(session, i18n.current_locale, callback_data)
        await message.edit_text(text, reply_markup=markup)


async def _page(
    session: AsyncSession, locale: str, view: BrowseCb
) -> tuple[str, InlineKeyboardMarkup]:
    if view.pick == "region":
        regions = await reference.all_regions(session)
        return _("Choose a region:"), kb.browse_pick(view, "region", regions, locale, columns=2)
    if view.pick == "topic":
        topics = await reference.topics(session)
        return _("Choose a topic:"), kb.browse_pick(view, "topic", topics, locale, columns=1)
    items, total = await proposals.browse(
        session,
        region=view.region or None,
        topic=view.topic or None,
        sort=view.sort,
        page=view.page,
    )
    lines = [_("<b>Published proposals</b>: {count}").format(count=_counted(total))]
    lines += [_entry(item) for item in items]
    if not items:
        lines.append(_("Nothing here yet."))
    capped = total >= proposals.SEARCH_COUNT_CAP
    full_page = len(items) == proposals.PAGE_SIZE
    more = (view.page + 1) * proposals.PAGE_SIZE < total or (capped and full_page)
    markup = kb.browse_page(view, [item.id for item in items], previous=view.page > 0, more=more)
    return "\n".join(lines), markup


# --- search --------------------------------------------------------------------------------


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
    reader: Reader,
    callback_data: SearchPageCb,
    callback_answer: CallbackAnswer,
) -> None:
    query = await button_lists.read(reader.session, callback_data.token)
    if query is None:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    token, before = callback_data.token, callback_data.before
    await _show_found(reader.message, reader.session, query, token, before)


async def _show_found(
    message: Message, session: AsyncSession, query: str, token: str, before_id: int | None
) -> None:
    items, total = await proposals.search(session, query, before_id=before_id)
    if not total:
        await message.answer(_("Nothing found. Try other words, or browse all: /proposals"))
        return
    lines = [_("Found: {count}").format(count=_counted(total))]
    lines += [_entry(item) for item in items]
    if not items:
        lines.append(_("That is all."))
    if len(items) == proposals.PAGE_SIZE:
        token = token or await button_lists.keep(session, query)
    else:
        token = ""
    markup = kb.found([item.id for item in items], token)
    await message.answer("\n".join(lines), reply_markup=markup)
