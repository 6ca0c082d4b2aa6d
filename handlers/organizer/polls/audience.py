"""Who gets a poll: the people checked in at an event, its registrants, or an announcement's
audience (everyone, a region, those abroad, a category, a language); then the preview with
the number of people it will reach. (The same step as announcements': kept together here so
that both can share one audience keyboard, bot/keyboards/audience.py.)"""

from functools import partial
from html import escape

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards import polls as kb
from bot.keyboards.common import LANGUAGE_LABELS
from bot.keyboards.polls import PollAction, PollCb
from bot.services import polls, reference
from bot.services.broadcasts import Audience
from bot.text_split import split_text
from handlers.common import drop_buttons
from handlers.organizer.polls.common import Compose, pick_event
from handlers.pressed import Press, Pressed


def router() -> Router:
    r = Router(name="organizer.polls.audience")
    r.callback_query.register(
        on_audience, Compose.audience, PollCb.filter(F.action == PollAction.audience), Pressed()
    )
    r.callback_query.register(
        on_audience_value, Compose.audience, PollCb.filter(F.action == PollAction.pick), Pressed()
    )
    return r


async def ask_audience(message: Message, state: FSMContext) -> None:
    await state.set_state(Compose.audience)
    await message.answer(_("Who should get it?"), reply_markup=kb.audience_kinds())


async def on_audience(
    callback: CallbackQuery, press: Press[PollCb], state: FSMContext, session: AsyncSession
) -> None:
    message, kind, locale = press.message, press.data.value, press.locale
    await drop_buttons(callback)
    if kind in ("all", "abroad"):
        await _preview(message, state, session, Audience(kind), locale)
        return
    if kind in ("event", "checked_in"):
        await pick_event(message, session, locale, partial(kb.audience_events, kind))
        return
    if kind == "region":
        options = [(r.code, r.name(locale)) for r in await reference.residence_regions(session)]
    elif kind == "category":
        options = [(c.code, c.name(locale)) for c in await reference.categories(session)]
    else:
        options = list(LANGUAGE_LABELS.items())
    await message.answer(_("Choose:"), reply_markup=kb.audience_values(kind, options))


async def on_audience_value(
    callback: CallbackQuery, press: Press[PollCb], state: FSMContext, session: AsyncSession
) -> None:
    await drop_buttons(callback)
    kind, _sep, value = press.data.value.partition(".")
    await _preview(press.message, state, session, Audience(kind, value), press.locale)


async def _preview(
    message: Message, state: FSMContext, session: AsyncSession, audience: Audience, locale: str
) -> None:
    reach = await polls.count_audience(session, audience)
    if reach == 0:
        await message.answer(_("Nobody matches this audience. Choose another one."))
        await ask_audience(message, state)
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
    await message.answer(
        ngettext(
            "The poll will reach {count} person. Send it?",
            "The poll will reach {count} people. Send it?",
            reach,
        ).format(count=reach),
        reply_markup=kb.send_or_cancel(),
    )
