"""An organizer sends the poll they composed (each person gets Telegram's native poll in
their language, a ranking in as many parts as it needs), or cancels it."""

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import LANGUAGES, N_
from bot.keyboards.polls import PollAction, PollCb
from bot.services import polls
from bot.services.broadcasts import Audience
from bot.services.errors import InvalidInput
from db.models import Poll, User
from handlers.common import NOT_A_COMMAND, drop_buttons
from handlers.organizer.polls.common import Compose, explain
from handlers.organizer.polls.results import show_results
from handlers.pressed import Press, Pressed

NOTE_ANONYMOUS = N_("Anonymous: the organizers see only the counts.")
NOTE_NAMED = N_("Not anonymous: the organizers see who chose what.")


def router() -> Router:
    r = Router(name="organizer.polls.sending")
    r.callback_query.register(
        on_send, Compose.confirm, PollCb.filter(F.action == PollAction.send), Pressed()
    )
    r.callback_query.register(on_cancel, PollCb.filter(F.action == PollAction.cancel), Pressed())
    return r


def wrong_input_router() -> Router:
    """Last of the package: anything else in the middle of composing a poll."""
    r = Router(name="organizer.polls.wrong_input")
    r.message.register(on_wrong_input, StateFilter(*Compose.__states__), NOT_A_COMMAND)
    return r


async def on_send(
    callback: CallbackQuery,
    press: Press[PollCb],
    state: FSMContext,
    session: AsyncSession,
    user: User,
) -> None:
    message, i18n = press.message, press.i18n
    await drop_buttons(callback)
    data = await state.get_data()
    audience = Audience(**data.get("audience", {}))
    if data.get("kind") == "rank":
        pages = data["pages"]
    else:
        pages = [polls.combine_options(data.get("options_ky"), data.get("options_ru"))]
    note = NOTE_ANONYMOUS if data.get("is_anonymous") else NOTE_NAMED
    notes = {lang: i18n.gettext(note, locale=lang) for lang in LANGUAGES}
    started: list[Poll] = []
    try:
        for number, options in enumerate(pages, start=1):
            started.append(
                await polls.start(
                    session,
                    author=user,
                    question_ky=_numbered(data.get("question_ky"), number, len(pages)),
                    question_ru=_numbered(data.get("question_ru"), number, len(pages)),
                    options=options,
                    allows_multiple=bool(data.get("allows_multiple")),
                    is_anonymous=bool(data.get("is_anonymous")),
                    audience=audience,
                    kind=data.get("kind", "question"),
                    part=number,
                    parts=len(pages),
                    notes=notes,
                )
            )
    except InvalidInput as error:
        await session.rollback()
        await message.answer(explain(error) + "\n" + _("Nothing was sent."))
        await state.clear()
        return
    await state.clear()
    await session.commit()
    for poll in started:
        await show_results(message, session, poll, i18n.current_locale)


def _numbered(question: str | None, part: int, parts: int) -> str | None:
    if not question or parts == 1:
        return question
    return f"{question} ({part}/{parts})"


async def on_cancel(callback: CallbackQuery, message: Message, state: FSMContext) -> None:
    await drop_buttons(callback)
    await state.clear()
    await message.answer(_("The poll was cancelled; nothing was sent."))


async def on_wrong_input(message: Message) -> None:
    await message.answer(_("Please answer with text or the buttons above, or /cancel."))
