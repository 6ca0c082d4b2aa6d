"""An organizer opens a draft for public discussion (/newdraft): the titles in Kyrgyz and/or
Russian, the responsible agency, the last day of the period and the hearing it belongs to.
The text itself comes next (handlers/organizer/drafts/text.py)."""

from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_
from bot.keyboards import drafts as kb
from bot.keyboards.drafts import DraftOrgAction, DraftOrgCb
from bot.services import events, validation
from bot.services.drafts import publishing
from bot.services.errors import InvalidInput
from db.models import Agency, utcnow
from handlers.common import NOT_A_COMMAND, drop_buttons, no_longer_active
from handlers.organizer.drafts.common import NewDraft, explain_org
from handlers.pressed import Pressed
from handlers.two_languages import InTwoLanguages

TITLE = InTwoLanguages(
    NewDraft.title_ky,
    NewDraft.title_ru,
    "title",
    ask_russian=N_("Now the title in Russian, or «Skip»."),
    ask_again=N_("A draft needs a title in at least one language. Send the title in Kyrgyz."),
    skip=kb.org_skip,
)


def router() -> Router:
    r = Router(name="organizer.drafts.new_draft")
    r.message.register(on_new, Command("newdraft"))
    r.message.register(on_title, TITLE.states, F.text, NOT_A_COMMAND)
    r.callback_query.register(
        on_skip_title, TITLE.states, DraftOrgCb.filter(F.action == DraftOrgAction.skip), Pressed()
    )
    r.callback_query.register(
        on_agency, NewDraft.agency, DraftOrgCb.filter(F.action == DraftOrgAction.agency), Pressed()
    )
    r.message.register(on_closes, NewDraft.closes, F.text)
    r.callback_query.register(
        on_event, NewDraft.event, DraftOrgCb.filter(F.action == DraftOrgAction.event), Pressed()
    )
    return r


async def on_new(message: Message, state: FSMContext) -> None:
    await state.set_state(NewDraft.title_ky)
    await state.set_data({})
    await message.answer(
        _(
            "<b>New draft for public discussion</b>\n\nSend its title in Kyrgyz, or «Skip» "
            "if there is no Kyrgyz version. /cancel stops."
        ),
        reply_markup=kb.org_skip(),
    )


async def on_title(message: Message, state: FSMContext, session: AsyncSession, i18n: I18n) -> None:
    try:
        title = publishing.check_title(message.text or "")
    except InvalidInput as error:
        await message.answer(explain_org(error))
        return
    await state.update_data({TITLE.key(await state.get_state()): title})
    await _next_after_title(message, state, session, i18n.current_locale)


async def on_skip_title(
    callback: CallbackQuery, message: Message, state: FSMContext, session: AsyncSession, i18n: I18n
) -> None:
    await drop_buttons(callback)
    await _next_after_title(message, state, session, i18n.current_locale)


async def _next_after_title(
    message: Message, state: FSMContext, session: AsyncSession, locale: str
) -> None:
    if await TITLE.ask_next(message, state, await state.get_state()):
        return
    agencies = await publishing.responsible_agencies(session)
    options = [(str(a.id), a.name(locale)) for a in agencies]
    if not options:
        await state.clear()
        await message.answer(
            _("There are no agencies yet. Add the responsible agency with /agencies first.")
        )
        return
    await state.set_state(NewDraft.agency)
    await message.answer(
        _("Which state agency is responsible for the draft?"),
        reply_markup=kb.org_pick(DraftOrgAction.agency, options, skip=False),
    )


async def on_agency(
    callback: CallbackQuery,
    message: Message,
    callback_data: DraftOrgCb,
    state: FSMContext,
    session: AsyncSession,
    callback_answer: CallbackAnswer,
) -> None:
    agency = await session.get(Agency, int(callback_data.value or 0))
    if agency is None:
        no_longer_active(callback_answer)
        return
    await drop_buttons(callback)
    await state.update_data({"agency_id": agency.id})
    await state.set_state(NewDraft.closes)
    await message.answer(
        _(
            "What is the last day of the discussion? Write the date like this: 31.12.2026. "
            "Public discussions usually last 30 days."
        )
    )


async def on_closes(
    message: Message, state: FSMContext, session: AsyncSession, i18n: I18n, tz: ZoneInfo
) -> None:
    try:
        day = validation.parse_day(message.text or "")
        publishing.check_closing_day(day, utcnow(), tz)
    except InvalidInput as error:
        await message.answer(explain_org(error))
        return
    await state.update_data({"closes_on": day.isoformat()})
    await state.set_state(NewDraft.event)
    locale = i18n.current_locale
    upcoming = [
        e
        for e in await events.organizer_events(session, limit=20)
        if e.status == events.PUBLISHED and e.starts_at > utcnow()
    ]
    options = [(str(e.id), e.title(locale)) for e in upcoming]
    await message.answer(
        _("Does the draft belong to a public hearing? Choose the event, or «Skip»."),
        reply_markup=kb.org_pick(DraftOrgAction.event, options, skip=True),
    )


async def on_event(
    callback: CallbackQuery, message: Message, callback_data: DraftOrgCb, state: FSMContext
) -> None:
    await drop_buttons(callback)
    await state.update_data({"event_id": int(callback_data.value) if callback_data.value else None})
    await state.set_state(NewDraft.text)
    await message.answer(
        _(
            "Now send the draft as a Word document (.docx), or paste its text. Headings become "
            "chapters and sections, numbered paragraphs become clauses."
        )
    )
