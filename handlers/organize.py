"""Organizers: /organize opens their menu. A new event is a form filled step by step (the same
steps edit one field of an existing event), then a preview, then publish or save as a draft.
Per event: publish, edit, cancel (registrants told through the outbox), the registrants with the
figures a report needs, Excel and CSV exports, the deep link with its QR code. /checkin marks
attendance by the code a person shows at the door.

The role is checked on every command, every text in the form and every button press."""

from contextlib import suppress
from datetime import datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.i18n import N_, format_when
from bot.keyboards import common as common_kb
from bot.keyboards import events as kb
from bot.keyboards.events import FormCb, OrgCb
from bot.notices.events import when_and_where
from bot.notices.polls import survey_text
from bot.services import event_files, events, reference, surveys
from bot.services.errors import InvalidInput
from db.models import Country, Event, EventKind, Region, StakeholderCategory, Topic, User, utcnow
from handlers.common import drop_buttons, message_of, organizers_only
from handlers.events import card_text, explain_event


class EventForm(StatesGroup):
    filling = State()
    preview = State()


class CheckIn(StatesGroup):
    code = State()


# The form's steps in order; text steps are typed, the others are buttons.
STEPS = (
    "kind",
    "title_ky",
    "title_ru",
    "description_ky",
    "description_ru",
    "starts_at",
    "ends_at",
    "format",
    "venue",
    "online_url",
    "region",
    "topics",
    "capacity",
    "deadline",
)
SKIPPABLE = {"title_ky", "title_ru", "description_ky", "description_ru", "capacity", "deadline"}
FORMAT_LABELS = {
    "in_person": N_("In person"),
    "online": N_("Online"),
    "hybrid": N_("Hybrid (in person and online)"),
}
FIELD_LABELS = {
    "kind": N_("Kind"),
    "title_ky": N_("Title in Kyrgyz"),
    "title_ru": N_("Title in Russian"),
    "description_ky": N_("Description in Kyrgyz"),
    "description_ru": N_("Description in Russian"),
    "starts_at": N_("Start"),
    "ends_at": N_("End"),
    "format": N_("Format"),
    "venue": N_("Venue"),
    "online_url": N_("Online link"),
    "region": N_("Region"),
    "topics": N_("Topics"),
    "capacity": N_("Capacity"),
    "deadline": N_("Registration deadline"),
}
EXAMPLE_DATE = "21.09.2026 10:00"


def router() -> Router:
    r = Router(name="organize")
    r.message.register(on_organize, Command("organize"))
    r.message.register(on_checkin_command, Command("checkin"))
    r.callback_query.register(on_org_action, OrgCb.filter())
    r.callback_query.register(
        on_form_button, StateFilter(EventForm.filling, EventForm.preview), FormCb.filter()
    )
    r.message.register(on_form_text, EventForm.filling, F.text)
    r.message.register(on_checkin_code, CheckIn.code, F.text)
    return r


# --- the organizer's menu and one event ------------------------------------------------------


async def on_organize(message: Message, user: User, settings: Settings, state: FSMContext) -> None:
    if not await organizers_only(message, settings, user):
        return
    await state.clear()
    await message.answer(
        _("<b>Organizer</b>: what would you like to do?"), reply_markup=kb.organizer_menu()
    )


async def on_org_action(
    callback: CallbackQuery,
    callback_data: OrgCb,
    session: AsyncSession,
    user: User,
    settings: Settings,
    state: FSMContext,
    i18n: I18n,
    tz: ZoneInfo,
    bot: Bot,
) -> None:
    message = message_of(callback)
    if message is None or not await organizers_only(message, settings, user):
        return
    locale, action = i18n.current_locale, callback_data.action
    if action == "new":
        await state.set_state(EventForm.filling)
        await state.set_data({"step": STEPS[0], "answers": {}, "event_id": None})
        await message.answer(
            _("A new event. You can stop at any time with /organize."),
            reply_markup=common_kb.cancel_only(),
        )
        await ask(message, session, locale, STEPS[0], {})
        return
    if action == "list":
        await show_event_list(message, session, locale, tz)
        return
    if action == "checkin":
        await state.set_state(CheckIn.code)
        await message.answer(
            _("Send the code a participant shows (for example K7M2QX)."),
            reply_markup=common_kb.cancel_only(),
        )
        return
    event = await session.get(Event, callback_data.id)
    if event is None:
        await message.answer(_("This event is not available. The events open now are in /events."))
        return
    try:
        if action == "view":
            await show_event(message, session, event, locale, tz)
        elif action == "publish":
            await events.publish(session, event)
            await drop_buttons(callback)
            await message.answer(_("Published. Participants can now see it and register."))
            await show_event(message, session, event, locale, tz)
        elif action == "edit":
            answers = answers_of(await events.draft_of(session, event))
            await state.set_state(EventForm.preview)
            await state.set_data({"step": "", "answers": answers, "event_id": event.id})
            await message.answer(_("What would you like to change?"), reply_markup=edit_menu())
        elif action == "cancel":
            await message.answer(
                _("Cancel <b>{title}</b>? Everyone registered will be told.").format(
                    title=escape(event.title(locale), quote=False)
                ),
                reply_markup=kb.confirm_cancel(event.id),
            )
        elif action == "cancel_yes":
            await drop_buttons(callback)
            told = await events.cancel_event(session, event, tz)
            await message.answer(
                _("The event is cancelled. Registrants told: {count}.").format(count=told)
            )
        elif action == "people":
            await show_registrants(message, session, event, locale)
        elif action in ("xlsx", "csv"):
            await send_export(message, session, event, locale, tz, action)
        elif action == "link":
            me = await bot.me()
            link = event_files.deep_link(me.username or "", event.id)
            await message.answer_photo(
                BufferedInputFile(event_files.qr_png(link), filename=f"event-{event.id}-qr.png"),
                caption=_("Link to the event for posters and slides:\n{link}").format(link=link),
            )
    except InvalidInput as error:
        await message.answer(explain_event(error))


async def show_event_list(
    message: Message, session: AsyncSession, locale: str, tz: ZoneInfo
) -> None:
    found = await events.organizer_events(session)
    if not found:
        await message.answer(_("There are no events yet."), reply_markup=kb.organizer_menu())
        return
    builder = InlineKeyboardBuilder()
    marks = {"draft": "📝", "published": "✅", "cancelled": "❌"}
    for event in found:
        day = f"{event.starts_at.astimezone(tz):%d.%m.%Y}"
        label = f"{marks.get(event.status, '')} {day} {event.title(locale)}"
        builder.button(text=label[:60], callback_data=OrgCb(action="view", id=event.id))
    builder.button(text=_("➕ New event"), callback_data=OrgCb(action="new"))
    builder.adjust(1)
    await message.answer(
        _("Events (📝 draft, ✅ published, ❌ cancelled):"), reply_markup=builder.as_markup()
    )


async def show_event(
    message: Message, session: AsyncSession, event: Event, locale: str, tz: ZoneInfo
) -> None:
    status = {
        "draft": _("Draft: participants do not see it yet."),
        "published": _("Published."),
        "cancelled": _("Cancelled."),
    }[event.status]
    registered = await events.registered_count(session, event.id)
    text = "\n".join(
        [
            await card_text(session, event, locale, tz, with_description=False),
            "",
            status,
            _("Registered: {count}").format(count=registered),
        ]
    )
    await message.answer(text, reply_markup=kb.organizer_event(event.id, event.status))


def figures_text(figures: events.EventStats) -> str:
    def breakdown(counter: dict[str, int]) -> str:
        items = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
        return (
            "\n".join(f"  • {escape(name, quote=False)}: {count}" for name, count in items) or "  —"
        )

    parts = [
        _("Registered: {registered}, attended: {attended}, on the waiting list: {waiting}").format(
            registered=figures.registered, attended=figures.attended, waiting=figures.waiting
        ),
        _("Women: {women}, men: {men}, not given: {unknown}").format(
            women=figures.women, men=figures.men, unknown=figures.gender_not_given
        ),
        _("By stakeholder category:"),
        breakdown(figures.by_category),
        _("By region:"),
        breakdown(figures.by_region),
    ]
    if figures.by_country:
        parts += [_("Countries of those abroad:"), breakdown(figures.by_country)]
    return "\n".join(parts)


async def show_registrants(
    message: Message, session: AsyncSession, event: Event, locale: str
) -> None:
    figures = await events.stats(session, event.id, locale)
    people = await events.registrants(session, event.id)
    lines = [f"<b>{escape(event.title(locale), quote=False)}</b>", figures_text(figures), ""]
    survey = survey_text(await surveys.results(session, event.id), locale)  # issue 19
    if survey:
        lines += [survey, ""]
    for item in people[:40]:
        mark = (
            "✅"
            if item.registration.attended_at
            else ("⏳" if item.registration.status == events.WAITING else "•")
        )
        name = escape(item.user.full_name or "—", quote=False)
        lines.append(f"{mark} {name} <code>{item.registration.code}</code>")
    if len(people) > 40:
        lines.append(_("… and {count} more: see the Excel export.").format(count=len(people) - 40))
    await message.answer(
        "\n".join(lines)[:4000], reply_markup=kb.organizer_event(event.id, event.status)
    )


async def export_rows(
    session: AsyncSession, event: Event, locale: str, tz: ZoneInfo
) -> tuple[list[str], list[list[object]]]:
    headers = [
        _("Code"),
        _("Full name"),
        _("Gender"),
        _("Stakeholder category"),
        _("Region"),
        _("Country"),
        _("Organisation"),
        _("Phone"),
        _("Status"),
        _("Registered at"),
        _("Attended at"),
    ]
    genders = {"female": _("Woman"), "male": _("Man")}
    statuses = {events.REGISTERED: _("registered"), events.WAITING: _("waiting list")}
    rows: list[list[object]] = []
    for item in await events.registrants(session, event.id):
        person, reg = item.user, item.registration
        category = (
            await session.get(StakeholderCategory, person.category_code)
            if person.category_code
            else None
        )
        region = await session.get(Region, person.region_code) if person.region_code else None
        country = await session.get(Country, person.country_code) if person.country_code else None
        rows.append(
            [
                reg.code,
                person.full_name or "",
                genders.get(person.gender or "", ""),
                category.name(locale) if category else "",
                region.name(locale) if region else "",
                country.name(locale) if country else (person.country_other or ""),
                person.organisation or "",
                person.phone or "",
                statuses.get(reg.status, reg.status),
                events.format_local(reg.queued_at, tz),
                events.format_local(reg.attended_at, tz) if reg.attended_at else "",
            ]
        )
    return headers, rows


async def send_export(
    message: Message, session: AsyncSession, event: Event, locale: str, tz: ZoneInfo, kind: str
) -> None:
    headers, rows = await export_rows(session, event, locale, tz)
    if kind == "csv":
        data, name = event_files.csv_bytes(headers, rows), f"event-{event.id}-registrants.csv"
    else:
        figures = await events.stats(session, event.id, locale)
        summary: list[tuple[str, object]] = [
            (_("Registered"), figures.registered),
            (_("Attended"), figures.attended),
            (_("Waiting list"), figures.waiting),
            (_("Women"), figures.women),
            (_("Men"), figures.men),
            (_("Gender not given"), figures.gender_not_given),
        ]
        summary += [
            (f"{_('Category')}: {name}", count) for name, count in figures.by_category.items()
        ]
        summary += [(f"{_('Region')}: {name}", count) for name, count in figures.by_region.items()]
        summary += [
            (f"{_('Country')}: {name}", count) for name, count in figures.by_country.items()
        ]
        data = event_files.xlsx(
            headers, rows, summary, sheet_title=_("Registrants"), summary_title=_("Figures")
        )
        name = f"event-{event.id}-registrants.xlsx"
    await message.answer_document(
        BufferedInputFile(data, filename=name),
        caption=_("Registrants of «{title}»: {count}").format(
            title=escape(event.title(locale), quote=False), count=len(rows)
        ),
    )


# --- the form ------------------------------------------------------------------------------------


def answers_of(draft: events.EventDraft) -> dict[str, Any]:
    return {
        "kind": draft.kind_code,
        "title_ky": draft.title_ky,
        "title_ru": draft.title_ru,
        "description_ky": draft.description_ky,
        "description_ru": draft.description_ru,
        "starts_at": draft.starts_at.isoformat(),
        "ends_at": draft.ends_at.isoformat(),
        "format": draft.format,
        "venue": draft.venue,
        "online_url": draft.online_url,
        "region": draft.region_code,
        "topics": draft.topic_codes,
        "capacity": draft.capacity,
        "deadline": draft.registration_deadline.isoformat()
        if draft.registration_deadline
        else None,
    }


def draft_from(answers: dict[str, Any]) -> events.EventDraft:
    def moment(key: str) -> datetime | None:
        value = answers.get(key)
        return datetime.fromisoformat(value) if value else None

    starts, ends = moment("starts_at"), moment("ends_at")
    assert starts is not None and ends is not None
    return events.EventDraft(
        kind_code=answers["kind"],
        starts_at=starts,
        ends_at=ends,
        format=answers["format"],
        region_code=answers.get("region"),
        title_ky=answers.get("title_ky"),
        title_ru=answers.get("title_ru"),
        description_ky=answers.get("description_ky"),
        description_ru=answers.get("description_ru"),
        venue=answers.get("venue"),
        online_url=answers.get("online_url"),
        topic_codes=list(answers.get("topics") or []),
        capacity=answers.get("capacity"),
        registration_deadline=moment("deadline"),
    )


def next_step(step: str, answers: dict[str, Any]) -> str | None:
    for candidate in STEPS[STEPS.index(step) + 1 :]:
        if candidate == "venue" and answers.get("format") == "online":
            continue
        if candidate == "online_url" and answers.get("format") == "in_person":
            continue
        return candidate
    return None


def edit_menu() -> InlineKeyboardMarkup:
    return kb.edit_fields([(name, _(label)) for name, label in FIELD_LABELS.items()])


async def ask(
    message: Message, session: AsyncSession, locale: str, step: str, answers: dict[str, Any]
) -> None:
    skip = kb.form_skip() if step in SKIPPABLE else None
    if step == "kind":
        kinds = await reference.event_kinds(session)
        options = [(kind.code, kind.name(locale)) for kind in kinds]
        await message.answer(
            _("What kind of event is it?"), reply_markup=kb.form_pick("kind", options)
        )
    elif step == "title_ky":
        await message.answer(
            _("The title in Kyrgyz (or «Skip» if there is none)."), reply_markup=skip
        )
    elif step == "title_ru":
        await message.answer(
            _("The title in Russian (or «Skip» if there is none)."), reply_markup=skip
        )
    elif step == "description_ky":
        await message.answer(
            _("A description in Kyrgyz: agenda, who is invited (or «Skip»)."), reply_markup=skip
        )
    elif step == "description_ru":
        await message.answer(_("A description in Russian (or «Skip»)."), reply_markup=skip)
    elif step == "starts_at":
        await message.answer(
            _(
                "When does it start? Write the date and time like this: {example} (Bishkek time)."
            ).format(example=EXAMPLE_DATE)
        )
    elif step == "ends_at":
        await message.answer(
            _("When does it end? For example: {example}").format(example="21.09.2026 13:00")
        )
    elif step == "format":
        options = [(code, _(label)) for code, label in FORMAT_LABELS.items()]
        await message.answer(
            _("How is it held?"), reply_markup=kb.form_pick("format", options, columns=1)
        )
    elif step == "venue":
        await message.answer(_("Where is it held? The venue and address."))
    elif step == "online_url":
        await message.answer(_("The link to join online (https://...)."))
    elif step == "region":
        regions = await reference.all_regions(session)
        options = [(region.code, region.name(locale)) for region in regions]
        await message.answer(
            _("Which region is it in or about?"), reply_markup=kb.form_pick("region", options)
        )
    elif step == "topics":
        await show_topics(message, session, locale, answers)
    elif step == "capacity":
        await message.answer(
            _("How many seats? Send a number, or «Skip» if there is no limit."), reply_markup=skip
        )
    elif step == "deadline":
        await message.answer(
            _(
                "Registration deadline, like {example}, or «Skip» to allow it until the start."
            ).format(example="20.09.2026 18:00"),
            reply_markup=skip,
        )


async def show_topics(
    message: Message, session: AsyncSession, locale: str, answers: dict[str, Any]
) -> None:
    topics = await reference.topics(session)
    options = [(topic.code, topic.name(locale)) for topic in topics]
    chosen = frozenset(answers.get("topics") or [])
    await message.answer(
        _("Topics: press one or several, then «Done»."),
        reply_markup=kb.form_pick("topic", options, chosen=chosen),
    )


def parse_text_answer(step: str, text: str, answers: dict[str, Any], tz: ZoneInfo) -> object:
    """Checks one typed answer; raises InvalidInput with the reason."""
    if step in ("title_ky", "title_ru"):
        return events.check_text(text, events.TITLE_MAX)
    if step in ("description_ky", "description_ru"):
        return events.check_text(text, events.DESCRIPTION_MAX)
    if step == "venue":
        return events.check_text(text, events.VENUE_MAX)
    if step == "online_url":
        return events.check_url(text)
    if step == "capacity":
        return events.check_capacity(text)
    moment = events.parse_local(text, tz)
    starts = datetime.fromisoformat(answers["starts_at"]) if answers.get("starts_at") else None
    if step == "starts_at":
        events.check_times(moment, None, None, utcnow())
    elif step == "ends_at" and starts is not None:
        events.check_times(starts, moment, None, utcnow() if starts > utcnow() else starts)
    elif step == "deadline" and starts is not None and moment > starts:
        raise InvalidInput("deadline_after_start")
    return moment.isoformat()


async def on_form_text(
    message: Message,
    session: AsyncSession,
    user: User,
    settings: Settings,
    state: FSMContext,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    if not await organizers_only(message, settings, user):
        await state.clear()
        return
    data = await state.get_data()
    step, answers = data["step"], data["answers"]
    if step in ("kind", "format", "region", "topics"):
        await message.answer(_("Please choose with the buttons above."))
        return
    try:
        answers[step] = parse_text_answer(step, message.text or "", answers, tz)
    except InvalidInput as error:
        await message.answer(explain_event(error))
        return
    await advance(message, session, state, i18n.current_locale, tz, data, answers)


async def advance(
    message: Message,
    session: AsyncSession,
    state: FSMContext,
    locale: str,
    tz: ZoneInfo,
    data: dict[str, Any],
    answers: dict[str, Any],
) -> None:
    """After an answer: the next step when creating, the preview when editing or at the end."""
    step = data["step"]
    if step == "title_ru" and not (answers.get("title_ky") or answers.get("title_ru")):
        answers.pop(step, None)
        await state.update_data(answers=answers)
        await message.answer(explain_event(InvalidInput("title_required")))
        await ask(message, session, locale, "title_ru", answers)
        return
    following = None if data.get("event_id") else next_step(step, answers)
    if following is None:
        await state.set_state(EventForm.preview)
        await state.update_data(step="", answers=answers)
        await show_preview(message, session, locale, tz, answers)
        return
    await state.update_data(step=following, answers=answers)
    await ask(message, session, locale, following, answers)


async def show_preview(
    message: Message, session: AsyncSession, locale: str, tz: ZoneInfo, answers: dict[str, Any]
) -> None:
    draft = draft_from(answers)
    kind = await session.get(EventKind, draft.kind_code)
    region = await session.get(Region, draft.region_code) if draft.region_code else None
    topic_names = [
        topic.name(locale)
        for code in draft.topic_codes
        if (topic := await session.get(Topic, code))
    ]
    params = events.event_params(
        Event(
            id=0,
            title_ky=draft.title_ky,
            title_ru=draft.title_ru,
            starts_at=draft.starts_at,
            ends_at=draft.ends_at,
            format=draft.format,
            venue=draft.venue,
            online_url=draft.online_url,
        ),
        tz,
    )
    not_given = _("not given")
    lines = [
        _("<b>Preview</b>"),
        f"{_('Kind')}: {escape(kind.name(locale) if kind else draft.kind_code, quote=False)}",
        f"{_('Title in Kyrgyz')}: {escape(draft.title_ky or not_given, quote=False)}",
        f"{_('Title in Russian')}: {escape(draft.title_ru or not_given, quote=False)}",
        f"{_('Description in Kyrgyz')}: {short(draft.description_ky or not_given)}",
        f"{_('Description in Russian')}: {short(draft.description_ru or not_given)}",
        f"{_('Format')}: {_(FORMAT_LABELS.get(draft.format, draft.format))}",
        when_and_where(params, locale),
        f"{_('Region')}: {escape(region.name(locale) if region else not_given, quote=False)}",
        f"{_('Topics')}: {escape(', '.join(topic_names) or not_given, quote=False)}",
        f"{_('Capacity')}: {draft.capacity or _('no limit')}",
        f"{_('Registration deadline')}: "
        + (
            format_when(draft.registration_deadline, locale, tz)
            if draft.registration_deadline
            else not_given
        ),
    ]
    await message.answer("\n".join(lines))
    await message.answer(
        _("Publish it, save as a draft, or change a field:"), reply_markup=preview_markup()
    )


def short(text: str) -> str:
    return escape(text[:300], quote=False)


def preview_markup() -> InlineKeyboardMarkup:
    preview = kb.form_preview()
    edit = edit_menu()
    preview.inline_keyboard = preview.inline_keyboard + edit.inline_keyboard[:-1]
    return preview


async def on_form_button(
    callback: CallbackQuery,
    callback_data: FormCb,
    session: AsyncSession,
    user: User,
    settings: Settings,
    state: FSMContext,
    i18n: I18n,
    tz: ZoneInfo,
) -> None:
    message = message_of(callback)
    if message is None or not await organizers_only(message, settings, user):
        return
    locale = i18n.current_locale
    data = await state.get_data()
    step, answers = data.get("step", ""), data.get("answers", {})
    field, value = callback_data.field, callback_data.value
    if field == "edit":
        await state.set_state(EventForm.filling)
        await state.update_data(step=value)
        await drop_buttons(callback)
        await ask(message, session, locale, value, answers)
        return
    if field == "preview":
        await state.set_state(EventForm.preview)
        await show_preview(message, session, locale, tz, answers)
        return
    if field == "save":
        await drop_buttons(callback)
        await save(message, session, user, state, locale, tz, data, value)
        return
    if field == "topic" and step == "topics":
        chosen = list(answers.get("topics") or [])
        chosen = [code for code in chosen if code != value] if value in chosen else [*chosen, value]
        answers["topics"] = chosen
        await state.update_data(answers=answers)
        topics = await reference.topics(session)
        options = [(topic.code, topic.name(locale)) for topic in topics]
        # The same message shows the new ticks (no new message per press).
        with suppress(TelegramBadRequest):
            await message.edit_reply_markup(
                reply_markup=kb.form_pick("topic", options, chosen=frozenset(chosen))
            )
        return
    if field == "done" and step == "topics":
        if not answers.get("topics"):
            await message.answer(_("Choose at least one topic."))
            return
    elif field == "skip" and step in SKIPPABLE:
        answers[step] = None
    elif field in ("kind", "format", "region") and step == field:
        answers[field] = value
    else:
        await callback.answer(_("This button is no longer active."), show_alert=True)
        return
    await drop_buttons(callback)
    await advance(message, session, state, locale, tz, data, answers)


async def save(
    message: Message,
    session: AsyncSession,
    user: User,
    state: FSMContext,
    locale: str,
    tz: ZoneInfo,
    data: dict[str, Any],
    how: str,
) -> None:
    if how == "discard":
        await state.clear()
        await message.answer(_("Discarded. Nothing was saved."), reply_markup=kb.organizer_menu())
        return
    existing = await session.get(Event, data["event_id"]) if data.get("event_id") else None
    try:
        event = await events.save_event(
            session,
            draft_from(data["answers"]),
            author=user,
            publish=how == "publish",
            tz=tz,
            event=existing,
        )
    except InvalidInput as error:
        await message.answer(explain_event(error))
        await message.answer(_("Change a field:"), reply_markup=preview_markup())
        return
    await state.clear()
    await message.answer(
        _("Published. Participants can now see it and register.")
        if event.status == events.PUBLISHED
        else _("Saved as a draft.")
    )
    await show_event(message, session, event, locale, tz)


# --- check-in at the door -----------------------------------------------------------------------


async def on_checkin_command(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    user: User,
    settings: Settings,
    state: FSMContext,
    i18n: I18n,
) -> None:
    if not await organizers_only(message, settings, user):
        return
    await state.set_state(CheckIn.code)
    if command.args:  # "/checkin K7M2QX": the code typed with the command
        await _check_code(message, session, command.args.strip(), i18n)
        return
    await message.answer(_("Send the code a participant shows (for example K7M2QX)."))


async def on_checkin_code(
    message: Message,
    session: AsyncSession,
    user: User,
    settings: Settings,
    state: FSMContext,
    i18n: I18n,
) -> None:
    if not await organizers_only(message, settings, user):
        await state.clear()
        return
    await _check_code(message, session, message.text or "", i18n)


async def _check_code(message: Message, session: AsyncSession, code: str, i18n: I18n) -> None:
    try:
        _registration, person, event, first_time = await events.check_in(session, code)
    except InvalidInput as error:
        await message.answer(
            explain_event(error) + "\n" + _("Send another code, or /organize to stop.")
        )
        return
    template = (
        _("✅ {name}: welcome to «{title}».")
        if first_time
        else _("{name} was already checked in to «{title}».")
    )
    await message.answer(
        template.format(
            name=escape(person.full_name or "—", quote=False),
            title=escape(event.title(i18n.current_locale), quote=False),
        )
        + "\n"
        + _("Send the next code, or /organize to stop.")
    )
