"""The event form's table of steps (run by the wizard engine, handlers/wizard.py, for
handlers/organizer/event_form.py): what each step asks and shows, how its answer is checked,
and the preview an organizer sees before publishing.

The steps share one state (`EventForm:filling`), the current one named in the data, as every
earlier version stored it: `{"step": ..., "answers": {...}, "event_id": ...}`. Their order,
which may be skipped and the check of a typed answer are the service's
(bot/services/events/answers.py)."""

from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.fsm.state import State, StatesGroup
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_, format_when
from bot.keyboards import events as kb
from bot.keyboards.organizer_events import preview_markup
from bot.notices.events import when_and_where
from bot.services import events, reference
from bot.services.errors import InvalidInput
from bot.services.events import SKIPPABLE, draft_from
from db.models import Event, EventKind, Region, Topic
from handlers.participant.event_cards import explain_event
from handlers.wizard import (
    Conversation,
    Input,
    Keyboard,
    Markup,
    Parse,
    Step,
    Values,
    Wizard,
    fixed,
    into,
)


class EventForm(StatesGroup):
    filling = State()
    preview = State()


FORMAT_LABELS = {
    "in_person": N_("In person"),
    "online": N_("Online"),
    "hybrid": N_("Hybrid (in person and online)"),
}
EXAMPLE_DATE = "21.09.2026 10:00"
# What each typed step asks, and the example its question shows.
QUESTIONS: dict[str, tuple[str, dict[str, str]]] = {
    "title_ky": (N_("The title in Kyrgyz (or «Skip» if there is none)."), {}),
    "title_ru": (N_("The title in Russian (or «Skip» if there is none)."), {}),
    "description_ky": (N_("A description in Kyrgyz: agenda, who is invited (or «Skip»)."), {}),
    "description_ru": (N_("A description in Russian (or «Skip»)."), {}),
    "starts_at": (
        N_("When does it start? Write the date and time like this: {example} (Bishkek time)."),
        {"example": EXAMPLE_DATE},
    ),
    "ends_at": (N_("When does it end? For example: {example}"), {"example": "21.09.2026 13:00"}),
    "venue": (N_("Where is it held? The venue and address."), {}),
    "online_url": (N_("The link to join online (https://...)."), {}),
    "capacity": (N_("How many seats? Send a number, or «Skip» if there is no limit."), {}),
    "deadline": (
        N_("Registration deadline, like {example}, or «Skip» to allow it until the start."),
        {"example": "20.09.2026 18:00"},
    ),
}


async def _answers(conv: Conversation) -> Values:
    answers: Values = (await conv.state.get_data()).get("answers", {})
    return answers


def _typed(step: str) -> Parse:
    """The service's check of a typed answer, which may depend on the answers so far."""

    async def parse(conv: Conversation, raw: str) -> Values:
        return {step: events.parse_answer(step, raw, await _answers(conv), conv.tz)}

    return parse


async def _kinds(conv: Conversation) -> Markup:
    kinds = await reference.event_kinds(conv.session)
    return kb.form_pick("kind", [(k.code, k.name(conv.locale)) for k in kinds], columns=2)


async def _formats(conv: Conversation) -> Markup:
    formats = [(code, _(label)) for code, label in FORMAT_LABELS.items()]
    return kb.form_pick("format", formats, columns=1)


async def _regions(conv: Conversation) -> Markup:
    regions = await reference.all_regions(conv.session)
    return kb.form_pick("region", [(r.code, r.name(conv.locale)) for r in regions], columns=2)


async def topics_keyboard(conv: Conversation) -> InlineKeyboardMarkup:
    """The topics with a tick on those chosen so far."""
    options = [(t.code, t.name(conv.locale)) for t in await reference.topics(conv.session)]
    chosen = frozenset((await _answers(conv)).get("topics") or [])
    return kb.form_pick("topic", options, chosen=chosen)


def _a_title(answers: Values) -> None:
    """The event has a title in at least one language."""
    if not (answers.get("title_ky") or answers.get("title_ru")):
        raise InvalidInput("title_required")


def _picked(step: str, question: str, keyboard: Keyboard) -> Step:
    return Step(
        EventForm.filling, step, question, Input.BUTTONS, keyboard, into(step, str), button=step
    )


def _typed_step(step: str) -> Step:
    question, example = QUESTIONS[step]
    skippable = step in SKIPPABLE
    return Step(
        EventForm.filling,
        step,
        question,
        keyboard=fixed(kb.form_skip) if skippable else None,
        parse=_typed(step),
        skippable=skippable,
        question_args=example,
        agrees=_a_title if step == "title_ru" else None,
    )


BY_FIELD = {
    "kind": _picked("kind", N_("What kind of event is it?"), _kinds),
    "format": _picked("format", N_("How is it held?"), _formats),
    "region": _picked("region", N_("Which region is it in or about?"), _regions),
    "topics": Step(
        EventForm.filling,
        "topics",
        N_("Topics: press one or several, then «Done»."),
        Input.OWN,
        topics_keyboard,
    ),
    **{step: _typed_step(step) for step in QUESTIONS},
}
STEPS = tuple(BY_FIELD[step] for step in events.STEPS)


async def to_preview(conv: Conversation, answers: Values) -> None:
    """The end of the form, or one field of an existing event edited: the preview."""
    await conv.state.set_state(EventForm.preview)
    await conv.state.update_data(step="", answers=answers)
    await show_preview(conv.message, conv.session, conv.locale, conv.tz, answers)


async def _edited(conv: Conversation, field: str, answers: Values) -> None:
    await to_preview(conv, answers)


WIZARD = Wizard(
    STEPS,
    to_preview,
    _edited,
    explain_event,
    # Only an existing event's field goes back to the preview; a new one goes on from there.
    edits_one=lambda data: bool(data.get("event_id")),
    step_key="step",
    following=events.next_step,
)


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
