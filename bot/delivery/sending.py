"""Sending one outbox row: rendered in its person's language, with its buttons and its file
(a photo, a document, or an event's calendar file made now), the text above the file when it
is too long for a caption."""

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import notices, poll_delivery
from bot.services import event_files
from bot.services.events import CALENDAR_ATTACHMENT
from db.models import Event, utcnow

CAPTION_LIMIT = 1024


@dataclass(frozen=True)
class Claimed:
    id: int
    chat_id: int
    locale: str
    template: str
    params: dict[str, Any]
    attachment_kind: str | None
    attachment_ref: str | None
    attempts: int
    broadcast_id: int | None


async def send(
    bot: Bot, session_factory: async_sessionmaker[AsyncSession], i18n: I18n, row: Claimed
) -> int:
    """Renders the row in its person's language and sends it, with its buttons and file;
    returns the message id. Telegram's errors are the caller's to sort out."""
    if row.template in poll_delivery.TEMPLATES:  # native polls (issue 19)
        return await poll_delivery.send(bot, session_factory, row)
    with i18n.context(), i18n.use_locale(row.locale):
        rendered = notices.render(row.template, row.params, row.locale)
    markup = inline_markup(rendered.buttons)
    if row.attachment_ref and len(rendered.text) > CAPTION_LIMIT:
        # Too long for a caption: the text, then the file under it without one.
        await bot.send_message(row.chat_id, rendered.text)
        rendered = notices.Notice("", rendered.buttons)
    if row.attachment_kind == "photo" and row.attachment_ref:
        message = await bot.send_photo(
            row.chat_id, row.attachment_ref, caption=rendered.text or None, reply_markup=markup
        )
    elif row.attachment_kind == CALENDAR_ATTACHMENT and row.attachment_ref:
        message = await bot.send_document(
            row.chat_id,
            await _calendar(bot, session_factory, int(row.attachment_ref), row.locale, row.params),
            caption=rendered.text or None,
            reply_markup=markup,
        )
    elif row.attachment_kind == "document" and row.attachment_ref:
        message = await bot.send_document(
            row.chat_id, row.attachment_ref, caption=rendered.text or None, reply_markup=markup
        )
    else:
        message = await bot.send_message(row.chat_id, rendered.text, reply_markup=markup)
    return message.message_id


async def _calendar(
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
    event_id: int,
    locale: str,
    params: dict[str, Any],
) -> BufferedInputFile:
    """The event's calendar file as it stands now, in the recipient's language."""
    async with session_factory() as session:
        event = await session.get(Event, event_id)
    assert event is not None
    me = await bot.me()
    data = event_files.ics(
        event,
        locale,
        ZoneInfo(params.get("tz") or "Asia/Bishkek"),
        url=event_files.deep_link(me.username or "", event.id),
        now=utcnow(),
    )
    return BufferedInputFile(data, filename=f"event-{event.id}.ics")


def inline_markup(rows: list[list[notices.Button]]) -> InlineKeyboardMarkup | None:
    """A notice's buttons as Telegram's inline keyboard (None without buttons)."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=b.text, callback_data=b.callback_data, url=b.url)
                for b in row
            ]
            for row in rows
        ]
    )
