"""An organizer closes a poll (answers are no longer counted; every copy is stopped) and then
shares its results with everyone who got it."""

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import LANGUAGES
from bot.keyboards.polls import PollAction, PollCb
from bot.services import polls
from db.models import Poll
from handlers.common import drop_buttons
from handlers.organizer.polls.common import OnPoll
from handlers.organizer.polls.results import show_results


def router() -> Router:
    r = Router(name="organizer.polls.closing")
    r.callback_query.register(on_close, PollCb.filter(F.action == PollAction.close), OnPoll())
    r.callback_query.register(on_share, PollCb.filter(F.action == PollAction.share), OnPoll())
    return r


async def on_close(
    callback: CallbackQuery,
    message: Message,
    poll: Poll,
    session: AsyncSession,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    if poll.status != "open":
        callback_answer.text = _("The poll is already closed.")
        return
    stops = await polls.close(session, poll)
    await session.commit()
    await message.answer(
        _(
            "The poll is closed: answers are no longer counted. Copies being closed: {count}."
        ).format(count=stops)
    )
    await show_results(message, session, poll, i18n.current_locale)


async def on_share(
    callback: CallbackQuery,
    message: Message,
    poll: Poll,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    if poll.status == "open":
        callback_answer.text = _("Close the poll first, then share its results.")
        callback_answer.show_alert = True
        return
    by_language = {lang: await polls.results(session, poll, lang) for lang in LANGUAGES}
    count = await polls.share(session, poll, by_language)
    if count == 0:
        callback_answer.text = _("The results were shared already.")
        return
    await drop_buttons(callback)
    await message.answer(
        ngettext(
            "The results go to {count} person.", "The results go to {count} people.", count
        ).format(count=count)
    )
