"""Polls in the hall: an organizer writes a question and its options in Kyrgyz and Russian (or
ranks an event's proposals), chooses one or several answers, anonymous or not, and the audience
(the people checked in at an event, its registrants, or any announcement audience). Each person
gets Telegram's native poll in their language; the organizer watches the results live, looks at
them by region, country, category and gender, closes the poll and shares the results.

Every command and button of the organizer's side passes a role filter on its router; a
participant's side (their poll answers) has its own router."""

import asyncio
from html import escape

from aiogram import Bot, F, Router
from aiogram.filters import Command, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
    PollAnswer,
    TelegramObject,
)
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot import charts
from bot.config import Settings
from bot.i18n import LANGUAGES, N_
from bot.keyboards.common import LANGUAGE_LABELS
from bot.keyboards.polls import PollCb
from bot.keyboards.polls import markup as _markup
from bot.notices.polls import render_results
from bot.services import events, polls, reference, users
from bot.services.broadcasts import Audience
from bot.services.errors import InvalidInput
from bot.text_split import split_text
from db.models import Poll, User
from handlers.common import drop_buttons, message_of, no_longer_active


class Compose(StatesGroup):
    question_ky = State()
    question_ru = State()
    options_ky = State()
    options_ru = State()
    settings = State()
    audience = State()
    confirm = State()


class Organizer(Filter):
    """Lets an update through only from an organizer (or an admin)."""

    async def __call__(self, event: TelegramObject, user: User, settings: Settings) -> bool:
        return users.can_organize(settings.admin_ids, user)


def router() -> Router:
    r = Router(name="polls")
    organizer = Router(name="polls-organizer")
    organizer.message.filter(Organizer())
    organizer.callback_query.filter(Organizer())
    organizer.message.register(on_poll, Command("poll"))
    organizer.message.register(on_polls, Command("polls"))
    organizer.message.register(
        on_cancel_command, StateFilter(*Compose.__states__), Command("cancel")
    )
    organizer.message.register(
        on_question, StateFilter(Compose.question_ky, Compose.question_ru), F.text
    )
    organizer.message.register(
        on_options, StateFilter(Compose.options_ky, Compose.options_ru), F.text
    )
    organizer.callback_query.register(on_kind, PollCb.filter(F.action == "kind"))
    organizer.callback_query.register(on_rank_event, PollCb.filter(F.action == "rank"))
    organizer.callback_query.register(
        on_skip,
        StateFilter(Compose.question_ky, Compose.question_ru),
        PollCb.filter(F.action == "skip"),
    )
    organizer.callback_query.register(
        on_setting, Compose.settings, PollCb.filter(F.action == "set")
    )
    organizer.callback_query.register(
        on_audience, Compose.audience, PollCb.filter(F.action == "audience")
    )
    organizer.callback_query.register(
        on_audience_value, Compose.audience, PollCb.filter(F.action == "pick")
    )
    organizer.callback_query.register(on_send, Compose.confirm, PollCb.filter(F.action == "send"))
    organizer.callback_query.register(on_cancel, PollCb.filter(F.action == "cancel"))
    organizer.callback_query.register(on_open, PollCb.filter(F.action == "open"))
    organizer.callback_query.register(on_chart, PollCb.filter(F.action == "chart"))
    organizer.callback_query.register(on_breakdown, PollCb.filter(F.action == "by"))
    organizer.callback_query.register(on_voters, PollCb.filter(F.action == "voters"))
    organizer.callback_query.register(on_close, PollCb.filter(F.action == "close"))
    organizer.callback_query.register(on_share, PollCb.filter(F.action == "share"))
    organizer.message.register(on_wrong_input, StateFilter(*Compose.__states__))
    # Anyone else pressing an organizer's command or button.
    # (an organizer's stale button falls through to the fallback: "no longer active").
    outsider = Router(name="polls-outsider")
    outsider.message.filter(~Organizer())
    outsider.callback_query.filter(~Organizer())
    outsider.message.register(on_not_organizer, Command("poll", "polls"))
    outsider.callback_query.register(on_not_organizer_button, PollCb.filter())
    r.poll_answer.register(on_poll_answer)
    r.include_routers(organizer, outsider)
    return r


# --- composing -------------------------------------------------------------------------------


def _cancel_row(builder: InlineKeyboardBuilder) -> None:
    builder.button(text=_("Cancel"), callback_data=PollCb(action="cancel"))


async def on_poll(message: Message, state: FSMContext) -> None:
    await state.clear()
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("A question of my own"), callback_data=PollCb(action="kind", value="question")
    )
    builder.button(
        text=_("Rank an event's proposals"), callback_data=PollCb(action="kind", value="rank")
    )
    _cancel_row(builder)
    builder.adjust(1)
    await message.answer(_("<b>New poll</b>: what will you ask?"), reply_markup=builder.as_markup())


async def on_kind(
    callback: CallbackQuery,
    callback_data: PollCb,
    state: FSMContext,
    session: AsyncSession,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    if message is None:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    if callback_data.value == "rank":
        await _pick_event(message, session, i18n.current_locale, "rank")
        return
    await state.set_state(Compose.question_ky)
    await state.set_data({"kind": "question"})
    await message.answer(
        _(
            "Send the question in Kyrgyz (at most {limit} characters). If there is no Kyrgyz "
            "text, press «Skip»: everyone then gets the Russian one. /cancel stops."
        ).format(limit=polls.QUESTION_MAX),
        reply_markup=_skip_markup(),
    )


def _skip_markup() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Skip"), callback_data=PollCb(action="skip"))
    return builder.as_markup()


async def _pick_event(message: Message, session: AsyncSession, locale: str, action: str) -> None:
    found = [e for e in await events.organizer_events(session) if e.status == "published"]
    if not found:
        await message.answer(_("There are no published events."))
        return
    builder = InlineKeyboardBuilder()
    for event in found:
        builder.button(
            text=event.title(locale)[:60],
            callback_data=PollCb(action=action, id=event.id)
            if action == "rank"
            else PollCb(action="pick", value=f"{action}.{event.id}"),
        )
    builder.adjust(1)
    await message.answer(_("Which event?"), reply_markup=builder.as_markup())


RANK_QUESTION = N_("Which of these proposals matter most?")


async def on_rank_event(
    callback: CallbackQuery,
    callback_data: PollCb,
    state: FSMContext,
    session: AsyncSession,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    if message is None:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    options = await polls.rank_options(session, callback_data.id)
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
    key = "question_ky" if current == Compose.question_ky.state else "question_ru"
    await state.update_data({key: text})
    await _after_question(message, state, current)


async def on_skip(
    callback: CallbackQuery, state: FSMContext, callback_answer: CallbackAnswer
) -> None:
    message = message_of(callback)
    if message is None:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    await _after_question(message, state, await state.get_state())


async def _after_question(message: Message, state: FSMContext, current: str | None) -> None:
    if current == Compose.question_ky.state:
        await state.set_state(Compose.question_ru)
        await message.answer(
            _("Now the question in Russian, or «Skip»: everyone then gets the Kyrgyz one."),
            reply_markup=_skip_markup(),
        )
        return
    data = await state.get_data()
    if not data.get("question_ky") and not data.get("question_ru"):
        await state.set_state(Compose.question_ky)
        await message.answer(
            _("A poll needs a question in at least one language. Send it in Kyrgyz, or «Skip»."),
            reply_markup=_skip_markup(),
        )
        return
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
        await _ask_multiple(message, state)
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


async def _ask_multiple(message: Message, state: FSMContext) -> None:
    await state.set_state(Compose.settings)
    builder = InlineKeyboardBuilder()
    builder.button(text=_("One answer"), callback_data=PollCb(action="set", value="single"))
    builder.button(text=_("Several answers"), callback_data=PollCb(action="set", value="multiple"))
    _cancel_row(builder)
    builder.adjust(2, 1)
    await message.answer(
        _("How many answers may a person choose?"), reply_markup=builder.as_markup()
    )


async def _ask_anonymity(message: Message) -> None:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Anonymous"), callback_data=PollCb(action="set", value="anonymous"))
    builder.button(text=_("With names"), callback_data=PollCb(action="set", value="named"))
    _cancel_row(builder)
    builder.adjust(2, 1)
    await message.answer(
        _(
            "Anonymous or not? In an anonymous poll nobody, organizers included, sees who "
            "chose what: only the counts."
        ),
        reply_markup=builder.as_markup(),
    )


async def on_setting(
    callback: CallbackQuery,
    callback_data: PollCb,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    if message is None:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    value = callback_data.value
    if value in ("single", "multiple"):
        await state.update_data({"allows_multiple": value == "multiple"})
        await _ask_anonymity(message)
        return
    await state.update_data({"is_anonymous": value == "anonymous"})
    await _ask_audience(message, state)


async def _ask_audience(message: Message, state: FSMContext) -> None:
    await state.set_state(Compose.audience)
    builder = InlineKeyboardBuilder()
    for kind, label in (
        ("checked_in", _("Checked in at an event")),
        ("event", _("Registrants of an event")),
        ("all", _("Everyone registered")),
        ("region", _("By region")),
        ("abroad", _("Living abroad")),
        ("category", _("By category")),
        ("language", _("By language")),
    ):
        builder.button(text=label, callback_data=PollCb(action="audience", value=kind))
    _cancel_row(builder)
    builder.adjust(1)
    await message.answer(_("Who should get it?"), reply_markup=builder.as_markup())


async def on_audience(
    callback: CallbackQuery,
    callback_data: PollCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    if message is None:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    kind, locale = callback_data.value, i18n.current_locale
    if kind in ("all", "abroad"):
        await _preview(message, state, session, Audience(kind), locale)
        return
    if kind in ("event", "checked_in"):
        await _pick_event(message, session, locale, kind)
        return
    if kind == "region":
        options = [(r.code, r.name(locale)) for r in await reference.residence_regions(session)]
    elif kind == "category":
        options = [(c.code, c.name(locale)) for c in await reference.categories(session)]
    else:
        options = list(LANGUAGE_LABELS.items())
    builder = InlineKeyboardBuilder()
    for code, label in options:
        builder.button(text=label, callback_data=PollCb(action="pick", value=f"{kind}.{code}"))
    builder.adjust(1 if kind == "category" else 2)
    await message.answer(_("Choose:"), reply_markup=builder.as_markup())


async def on_audience_value(
    callback: CallbackQuery,
    callback_data: PollCb,
    state: FSMContext,
    session: AsyncSession,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    if message is None:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    kind, _sep, value = callback_data.value.partition(".")
    await _preview(message, state, session, Audience(kind, value), i18n.current_locale)


async def _preview(
    message: Message, state: FSMContext, session: AsyncSession, audience: Audience, locale: str
) -> None:
    reach = await polls.count_audience(session, audience)
    if reach == 0:
        await message.answer(_("Nobody matches this audience. Choose another one."))
        await _ask_audience(message, state)
        return
    await state.update_data({"audience": audience.as_dict()})
    await state.set_state(Compose.confirm)
    data = await state.get_data()
    question = data.get(f"question_{locale}") or data.get("question_ky") or data.get("question_ru")
    if data.get("kind") == "rank":
        options: list[str] | None = [o[locale] for page in data["pages"] for o in page]
    else:
        options = data.get(f"options_{locale}") or data.get("options_ky") or data.get("options_ru")
    lines = [
        _("This is what people will see:"),
        "",
        f"<b>{escape(question or '', quote=False)}</b>",
    ]
    lines += [f"• {escape(option, quote=False)}" for option in options or []]
    lines += [
        "",
        _("One answer") if not data.get("allows_multiple") else _("Several answers"),
        _("Anonymous") if data.get("is_anonymous") else _("With names"),
    ]
    for piece in split_text("\n".join(lines)):
        await message.answer(piece)
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Send"), callback_data=PollCb(action="send"))
    _cancel_row(builder)
    await message.answer(
        ngettext(
            "The poll will reach {count} person. Send it?",
            "The poll will reach {count} people. Send it?",
            reach,
        ).format(count=reach),
        reply_markup=builder.as_markup(),
    )


async def on_send(
    callback: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    message = message_of(callback)
    if message is None:
        no_longer_active(callback_answer)
        return
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
        await _show_results(message, session, poll, i18n.current_locale, attach=True)


NOTE_ANONYMOUS = N_("Anonymous: the organizers see only the counts.")
NOTE_NAMED = N_("Not anonymous: the organizers see who chose what.")


def _numbered(question: str | None, part: int, parts: int) -> str | None:
    if not question or parts == 1:
        return question
    return f"{question} ({part}/{parts})"


async def on_cancel(
    callback: CallbackQuery, state: FSMContext, callback_answer: CallbackAnswer
) -> None:
    message = message_of(callback)
    if message is None:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    await state.clear()
    await message.answer(_("The poll was cancelled; nothing was sent."))


async def on_cancel_command(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(_("The poll was cancelled; nothing was sent."))


async def on_wrong_input(message: Message) -> None:
    await message.answer(_("Please answer with text or the buttons above, or /cancel."))


# --- one poll: results, breakdowns, closing, sharing ------------------------------------------


async def _show_results(
    message: Message, session: AsyncSession, poll: Poll, locale: str, attach: bool = False
) -> None:
    results = await polls.results(session, poll, locale)
    delivery = await polls.delivery_counts(session, poll.id)
    text, buttons = render_results(results, delivery, poll.shared_at is not None)
    sent = await message.answer(text, reply_markup=_markup(buttons))
    # This message is the one the live results keep current.
    await polls.attach_results_message(session, [poll.id], sent.chat.id, sent.message_id)


async def on_polls(message: Message, session: AsyncSession, i18n: I18n) -> None:
    found = await polls.recent(session)
    if not found:
        await message.answer(_("There are no polls yet. /poll creates one."))
        return
    builder = InlineKeyboardBuilder()
    for poll in found:
        mark = "🟢" if poll.status == "open" else "⚪"
        label = f"{mark} {poll.question(i18n.current_locale)}"
        builder.button(text=label[:60], callback_data=PollCb(action="open", id=poll.id))
    builder.adjust(1)
    await message.answer(_("Polls (🟢 open, ⚪ closed):"), reply_markup=builder.as_markup())


async def _poll_of(
    callback: CallbackQuery, callback_data: PollCb, session: AsyncSession, answer: CallbackAnswer
) -> tuple[Message, Poll] | None:
    message = message_of(callback)
    poll = await session.get(Poll, callback_data.id)
    if message is None or poll is None:
        no_longer_active(answer)
        return None
    return message, poll


async def on_open(
    callback: CallbackQuery,
    callback_data: PollCb,
    session: AsyncSession,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    found = await _poll_of(callback, callback_data, session, callback_answer)
    if found:
        await _show_results(found[0], session, found[1], i18n.current_locale)


async def on_chart(
    callback: CallbackQuery,
    callback_data: PollCb,
    session: AsyncSession,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    found = await _poll_of(callback, callback_data, session, callback_answer)
    if not found:
        return
    message, poll = found
    results = await polls.results(session, poll, i18n.current_locale)
    items = [
        (f"{n}. {option}", count)
        for n, (option, count) in enumerate(
            zip(results.options, results.counts, strict=True), start=1
        )
    ]
    title = _("Answered: {answered} of {total}").format(
        answered=results.answered, total=results.total
    )
    image = await asyncio.to_thread(charts.bar_chart, title, items)
    await message.answer_photo(
        BufferedInputFile(image, filename=f"poll-{poll.id}.png"),
        caption=escape(results.question, quote=False)[:1000],
    )


DIMENSION_TITLES = {
    "region": N_("By region"),
    "country": N_("By country"),
    "category": N_("By category"),
    "gender": N_("By gender"),
}


async def on_breakdown(
    callback: CallbackQuery,
    callback_data: PollCb,
    session: AsyncSession,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    found = await _poll_of(callback, callback_data, session, callback_answer)
    if not found:
        return
    if callback_data.value not in polls.DIMENSIONS:
        no_longer_active(callback_answer)
        return
    message, poll = found
    locale = i18n.current_locale
    groups = await polls.breakdown(session, poll, callback_data.value, locale, _("not given"))
    options = poll.option_texts(locale)
    gender = {"female": _("Women"), "male": _("Men"), "": _("not given")}
    lines = [
        f"<b>{escape(poll.question(locale), quote=False)}</b>",
        _(DIMENSION_TITLES[callback_data.value]),
        "",
    ]
    if not groups:
        lines.append(_("No answers yet."))
    for group in groups:
        name = gender.get(group.name, group.name) if callback_data.value == "gender" else group.name
        if group.hidden:
            lines.append(_("<b>{group}</b>: fewer than 5").format(group=escape(name, quote=False)))
            continue
        lines.append(
            _("<b>{group}</b> — answered: {count}").format(
                group=escape(name, quote=False), count=group.people
            )
        )
        for number, count in enumerate(group.counts, start=1):
            if count:
                lines.append(
                    f"   {number}. {escape(options[number - 1][:40], quote=False)}: {count}"
                )
    if callback_data.value == "country" and groups:
        lines.append("")
        lines.append(_("Only those living abroad are counted here."))
    for piece in split_text("\n".join(lines)):
        await message.answer(piece)


async def on_voters(
    callback: CallbackQuery,
    callback_data: PollCb,
    session: AsyncSession,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    found = await _poll_of(callback, callback_data, session, callback_answer)
    if not found:
        return
    message, poll = found
    if poll.is_anonymous:
        callback_answer.text = _("The poll is anonymous: names are never shown.")
        callback_answer.show_alert = True
        return
    options = poll.option_texts(i18n.current_locale)
    lines = [f"<b>{escape(poll.question(i18n.current_locale), quote=False)}</b>", ""]
    for name, chosen in await polls.voters(session, poll):
        picked = "; ".join(options[i] for i in chosen if i < len(options))
        lines.append(f"• {escape(name, quote=False)}: {escape(picked, quote=False)}")
    if len(lines) == 2:
        lines.append(_("No answers yet."))
    for piece in split_text("\n".join(lines)):
        await message.answer(piece)


async def on_close(
    callback: CallbackQuery,
    callback_data: PollCb,
    session: AsyncSession,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    found = await _poll_of(callback, callback_data, session, callback_answer)
    if not found:
        return
    message, poll = found
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
    await _show_results(message, session, poll, i18n.current_locale)


async def on_share(
    callback: CallbackQuery,
    callback_data: PollCb,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    found = await _poll_of(callback, callback_data, session, callback_answer)
    if not found:
        return
    message, poll = found
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


# --- everyone else ----------------------------------------------------------------------------


async def on_not_organizer(message: Message) -> None:
    await message.answer(_("This command is for organizers."))


async def on_not_organizer_button(callback: CallbackQuery, callback_answer: CallbackAnswer) -> None:
    callback_answer.text = _("This button is for organizers.")
    callback_answer.show_alert = True


async def on_poll_answer(
    poll_answer: PollAnswer, session: AsyncSession, user: User, bot: Bot
) -> None:
    """A person chose (or took back) options in a poll: stored against them. An answer that
    arrives after the poll was closed is not counted, and they are told so."""
    answered = await polls.record_answer(session, poll_answer.poll_id, user, poll_answer.option_ids)
    if answered.outcome == "closed":
        await session.commit()
        await bot.send_message(
            user.telegram_id, _("This poll is already closed: your answer was not counted.")
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
