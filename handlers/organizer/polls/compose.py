"""An organizer writes a poll (/poll): a question of their own in Kyrgyz and/or Russian with
its options, or a ranking of an event's published proposals; then one or several answers,
anonymous or not. The audience comes next (handlers/organizer/polls/audience.py)."""

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_
from bot.keyboards import polls as kb
from bot.keyboards.polls import PollAction, PollCb
from bot.services import polls
from bot.services.errors import InvalidInput
from handlers.common import NOT_A_COMMAND, drop_buttons
from handlers.organizer.polls.audience import ask_audience
from handlers.organizer.polls.common import Compose, explain, pick_event
from handlers.pressed import Press, Pressed
from handlers.two_languages import InTwoLanguages

QUESTION = InTwoLanguages(
    Compose.question_ky,
    Compose.question_ru,
    "question",
    ask_russian=N_("Now the question in Russian, or «Skip»: everyone then gets the Kyrgyz one."),
    ask_again=N_("A poll needs a question in at least one language. Send it in Kyrgyz, or «Skip»."),
    skip=kb.skip,
)
RANK_QUESTION = N_("Which of these proposals matter most?")


def router() -> Router:
    r = Router(name="organizer.polls.compose")
    r.message.register(on_poll, Command("poll"))
    kind = F.action == PollAction.kind
    r.callback_query.register(on_rank_kind, PollCb.filter(kind & (F.value == "rank")), Pressed())
    r.callback_query.register(on_kind, PollCb.filter(kind), Pressed())
    r.callback_query.register(on_rank_event, PollCb.filter(F.action == PollAction.rank), Pressed())
    r.message.register(on_question, QUESTION.states, F.text, NOT_A_COMMAND)
    r.callback_query.register(
        on_skip, QUESTION.states, PollCb.filter(F.action == PollAction.skip), Pressed()
    )
    r.message.register(
        on_options, StateFilter(Compose.options_ky, Compose.options_ru), F.text, NOT_A_COMMAND
    )
    r.callback_query.register(
        on_setting, Compose.settings, PollCb.filter(F.action == PollAction.set), Pressed()
    )
    return r


async def on_poll(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(_("<b>New poll</b>: what will you ask?"), reply_markup=kb.kind_choice())


async def on_rank_kind(
    callback: CallbackQuery, message: Message, session: AsyncSession, i18n: I18n
) -> None:
    """«Rank an event's proposals»: which event?"""
    await drop_buttons(callback)
    await pick_event(message, session, i18n.current_locale, kb.rank_events)


async def on_kind(callback: CallbackQuery, message: Message, state: FSMContext) -> None:
    """«A question of my own»."""
    await drop_buttons(callback)
    await state.set_state(Compose.question_ky)
    await state.set_data({"kind": "question"})
    await message.answer(
        _(
            "Send the question in Kyrgyz (at most {limit} characters). If there is no Kyrgyz "
            "text, press «Skip»: everyone then gets the Russian one. /cancel stops."
        ).format(limit=polls.QUESTION_MAX),
        reply_markup=kb.skip(),
    )


async def on_rank_event(
    callback: CallbackQuery, press: Press[PollCb], state: FSMContext, session: AsyncSession
) -> None:
    message, i18n = press.message, press.i18n
    await drop_buttons(callback)
    options = await polls.rank_options(session, press.data.id)
    if len(options) < polls.OPTIONS_MIN:
        await message.answer(
            _("This event has fewer than two published proposals: there is nothing to rank.")
        )
        await state.clear()
        return
    pages = polls.pages(options)
    await state.set_state(Compose.settings)
    await state.set_data(
        {
            "kind": "rank",
            "question_ky": i18n.gettext(RANK_QUESTION, locale="ky"),
            "question_ru": i18n.gettext(RANK_QUESTION, locale="ru"),
            "pages": pages,
            "allows_multiple": True,
        }
    )
    await message.answer(
        _("Published proposals: {count}. Polls: {parts} (at most {limit} options each).").format(
            count=len(options), parts=len(pages), limit=polls.OPTIONS_MAX
        )
    )
    await _ask_anonymity(message)


async def on_question(message: Message, state: FSMContext) -> None:
    current = await state.get_state()
    try:
        text = polls.check_question(message.text)
    except InvalidInput as error:
        await message.answer(explain(error))
        return
    if text is None:
        await message.answer(explain(InvalidInput("poll_question_empty")))
        return
    await state.update_data({QUESTION.key(current): text})
    await _after_question(message, state, current)


async def on_skip(callback: CallbackQuery, message: Message, state: FSMContext) -> None:
    await drop_buttons(callback)
    await _after_question(message, state, await state.get_state())


async def _after_question(message: Message, state: FSMContext, current: str | None) -> None:
    if not await QUESTION.ask_next(message, state, current):
        await _ask_options(message, state)


async def _ask_options(message: Message, state: FSMContext) -> None:
    data = await state.get_data()
    if data.get("question_ky") and "options_ky" not in data:
        await state.set_state(Compose.options_ky)
        prompt = _("Send the answer options in Kyrgyz, one per line.")
    elif data.get("question_ru") and "options_ru" not in data:
        await state.set_state(Compose.options_ru)
        prompt = _("Send the answer options in Russian, one per line, in the same order.")
    else:
        await state.set_state(Compose.settings)
        await message.answer(_("How many answers may a person choose?"), reply_markup=kb.how_many())
        return
    await message.answer(
        prompt
        + "\n"
        + _("From {minimum} to {maximum} options, each at most {limit} characters.").format(
            minimum=polls.OPTIONS_MIN, maximum=polls.OPTIONS_MAX, limit=polls.OPTION_MAX
        )
    )


async def on_options(message: Message, state: FSMContext) -> None:
    current = await state.get_state()
    key = "options_ky" if current == Compose.options_ky.state else "options_ru"
    data = await state.get_data()
    try:
        options = polls.parse_options(message.text or "")
        other = data.get("options_ky") if key == "options_ru" else None
        if other is not None:
            polls.combine_options(other, options)
    except InvalidInput as error:
        await message.answer(explain(error))
        return
    await state.update_data({key: options})
    await _ask_options(message, state)


async def _ask_anonymity(message: Message) -> None:
    await message.answer(
        _(
            "Anonymous or not? In an anonymous poll nobody, organizers included, sees who "
            "chose what: only the counts."
        ),
        reply_markup=kb.anonymity(),
    )


async def on_setting(
    callback: CallbackQuery, message: Message, callback_data: PollCb, state: FSMContext
) -> None:
    """One answer or several (then anonymity), anonymous or with names (then the audience)."""
    await drop_buttons(callback)
    value = callback_data.value
    if value in ("single", "multiple"):
        await state.update_data({"allows_multiple": value == "multiple"})
        await _ask_anonymity(message)
        return
    await state.update_data({"is_anonymous": value == "anonymous"})
    await ask_audience(message, state)
