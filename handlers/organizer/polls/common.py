"""What the organizer's poll modules share: the composing conversation's states (stored as
`Compose:…`, a name announcements' form also uses for its own group), the error texts, the
filter that hands a handler the poll a button was pressed on, and the choice of an event."""

from collections.abc import Callable
from typing import Any

from aiogram.filters import BaseFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards.polls import PollCb
from bot.services import events
from bot.services.errors import InvalidInput
from db.models import Poll
from handlers.common import message_of
from handlers.pressed import Press


class Compose(StatesGroup):
    question_ky = State()
    question_ru = State()
    options_ky = State()
    options_ru = State()
    settings = State()
    audience = State()
    confirm = State()


class OnPoll(BaseFilter):
    """A press on one poll's button: hands over `message`, `press` and `poll`; a press on a
    poll that is gone falls through to the fallback ("no longer active")."""

    async def __call__(
        self, callback: CallbackQuery, callback_data: PollCb, session: AsyncSession, i18n: I18n
    ) -> bool | dict[str, Any]:
        message = message_of(callback)
        poll = await session.get(Poll, callback_data.id)
        if message is None or poll is None:
            return False
        press = Press(callback=callback, message=message, i18n=i18n, data=callback_data)
        return {"message": message, "poll": poll, "press": press}


async def pick_event(
    message: Message,
    session: AsyncSession,
    locale: str,
    markup: Callable[[list[tuple[int, str]]], InlineKeyboardMarkup],
) -> None:
    """Asks which published event (to rank its proposals, or as the audience)."""
    found = [e for e in await events.organizer_events(session) if e.status == "published"]
    if not found:
        await message.answer(_("There are no published events."))
        return
    await message.answer(
        _("Which event?"), reply_markup=markup([(e.id, e.title(locale)) for e in found])
    )


def explain(error: InvalidInput) -> str:
    messages = {
        "poll_question_empty": _("The question is empty. Please write it."),
        "poll_question_too_long": _(
            "The question is too long: {length} characters, at most {limit}."
        ),
        "poll_option_empty": _(
            "Option {number} is empty. Please send the options again, one per line, without "
            "empty lines."
        ),
        "poll_option_too_long": _(
            "Option {number} is too long: {length} characters, at most {limit}. Please send "
            "the options again."
        ),
        "poll_too_many_options": _(
            "Too many options: {count}. Telegram allows at most {limit} in one poll."
        ),
        "poll_too_few_options": _("A poll needs at least {minimum} options, one per line."),
        "poll_option_duplicate": _("Two options are the same. Please send the options again."),
        "poll_options_mismatch": _(
            "There are {ky} options in Kyrgyz and {ru} in Russian: please send the same "
            "number, in the same order."
        ),
        "audience_empty": _("Nobody matches this audience."),
    }
    template = messages.get(error.reason, _("Please check what you entered and try again."))
    return template.format(**error.details)
