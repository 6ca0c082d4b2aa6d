"""An organizer follows a poll: the list (/polls), the live results (the message the bot keeps
current), a chart, the answers by region, country, category and gender, and who chose what
in a poll with names."""

import asyncio
from html import escape

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot import charts
from bot.i18n import N_
from bot.keyboards import polls as kb
from bot.keyboards.polls import PollAction, PollCb
from bot.notices.polls import render_results
from bot.services import polls
from bot.text_split import split_text
from db.models import Poll
from handlers.organizer.polls.common import OnPoll
from handlers.pressed import Press, register_actions

DIMENSION_TITLES = {
    "region": N_("By region"),
    "country": N_("By country"),
    "category": N_("By category"),
    "gender": N_("By gender"),
}


def router() -> Router:
    r = Router(name="organizer.polls.results")
    r.message.register(on_polls, Command("polls"))
    handlers = {
        PollAction.open: on_open,
        PollAction.chart: on_chart,
        PollAction.voters: on_voters,
    }
    register_actions(r, PollCb, handlers, OnPoll())
    dimension = (F.action == PollAction.by) & F.value.in_(polls.DIMENSIONS)
    r.callback_query.register(on_breakdown, PollCb.filter(dimension), OnPoll())
    return r


async def show_results(message: Message, session: AsyncSession, poll: Poll, locale: str) -> None:
    results = await polls.results(session, poll, locale)
    delivery = await polls.delivery_counts(session, poll.id)
    text, buttons = render_results(results, delivery, poll.shared_at is not None)
    sent = await message.answer(text, reply_markup=kb.markup(buttons))
    # This message is the one the live results keep current.
    await polls.attach_results_message(session, [poll.id], sent.chat.id, sent.message_id)


async def on_polls(message: Message, session: AsyncSession, i18n: I18n) -> None:
    found = await polls.recent(session)
    if not found:
        await message.answer(_("There are no polls yet. /poll creates one."))
        return
    items = [
        (poll.id, f"{'🟢' if poll.status == 'open' else '⚪'} {poll.question(i18n.current_locale)}")
        for poll in found
    ]
    await message.answer(_("Polls (🟢 open, ⚪ closed):"), reply_markup=kb.poll_list(items))


async def on_open(
    callback: CallbackQuery, message: Message, poll: Poll, session: AsyncSession, i18n: I18n
) -> None:
    await show_results(message, session, poll, i18n.current_locale)


async def on_chart(
    callback: CallbackQuery, message: Message, poll: Poll, session: AsyncSession, i18n: I18n
) -> None:
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


async def _send_lines(message: Message, lines: list[str]) -> None:
    for piece in split_text("\n".join(lines)):
        await message.answer(piece)


async def on_breakdown(
    callback: CallbackQuery,
    message: Message,
    poll: Poll,
    callback_data: PollCb,
    session: AsyncSession,
    i18n: I18n,
) -> None:
    dimension = callback_data.value
    locale = i18n.current_locale
    groups = await polls.breakdown(session, poll, dimension, locale, _("not given"))
    options = poll.option_texts(locale)
    gender = {"female": _("Women"), "male": _("Men"), "": _("not given")}
    lines = [
        f"<b>{escape(poll.question(locale), quote=False)}</b>",
        _(DIMENSION_TITLES[dimension]),
        "",
    ]
    if not groups:
        lines.append(_("No answers yet."))
    for group in groups:
        name = gender.get(group.name, group.name) if dimension == "gender" else group.name
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
    if dimension == "country" and groups:
        lines.append("")
        lines.append(_("Only those living abroad are counted here."))
    await _send_lines(message, lines)


async def on_voters(
    callback: CallbackQuery,
    press: Press[PollCb],
    poll: Poll,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    message, locale = press.message, press.locale
    if poll.is_anonymous:
        callback_answer.text = _("The poll is anonymous: names are never shown.")
        callback_answer.show_alert = True
        return
    options = poll.option_texts(locale)
    lines = [f"<b>{escape(poll.question(locale), quote=False)}</b>", ""]
    for name, chosen in await polls.voters(session, poll):
        picked = "; ".join(options[i] for i in chosen if i < len(options))
        lines.append(f"• {escape(name, quote=False)}: {escape(picked, quote=False)}")
    if len(lines) == 2:
        lines.append(_("No answers yet."))
    await _send_lines(message, lines)
