"""A participant's own proposals: "My proposals" (newest first, paged below the last one
seen), each with its status; a button opens one (proposals_open.py)."""

from zoneinfo import ZoneInfo

from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import format_day
from bot.keyboards import common as menu
from bot.keyboards import proposals as kb
from bot.keyboards.callbacks import MinePageCb
from bot.notices.proposals import status_name
from bot.services import proposals
from db.models import User
from handlers.common import drop_buttons
from handlers.participant.pressed import Reader


async def on_mine(
    message: Message, user: User, session: AsyncSession, i18n: I18n, tz: ZoneInfo
) -> None:
    await _show_mine(Reader(message, session, user, i18n.current_locale, tz), None)


async def on_mine_page(callback: CallbackQuery, reader: Reader, callback_data: MinePageCb) -> None:
    await drop_buttons(callback)
    await _show_mine(reader, callback_data.before)


async def _show_mine(reader: Reader, before_id: int | None) -> None:
    message, locale, tz = reader.message, reader.locale, reader.tz
    items, total = await proposals.mine(reader.session, reader.user, before_id=before_id or None)
    if not total:
        await message.answer(
            _("You have not sent any proposals yet. /propose"), reply_markup=menu.main_menu()
        )
        return
    lines = [_("<b>My proposals</b> ({count})").format(count=total)]
    for item in items:
        lines.append(
            f"#{item.id} · {format_day(item.created_at, locale, tz)} · {status_name(item.status)}"
        )
    markup = kb.mine([item.id for item in items], more=len(items) == proposals.PAGE_SIZE)
    await message.answer("\n".join(lines), reply_markup=markup)
