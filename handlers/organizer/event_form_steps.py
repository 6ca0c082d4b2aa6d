"""The event form's table of steps (used by handlers/organizer/event_form.py): the order of
the steps, which may be skipped, what each asks, how a typed answer is checked, the answers
to and from an EventDraft, and the preview an organizer sees before publishing."""

from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_, format_when
from bot.keyboards import events as kb
from bot.keyboards.organizer_events import preview_markup
from bot.notices.events import when_and_where
from bot.services import events, reference
from bot.services.events import SKIPPABLE, draft_from
from db.models import Event, EventKind, Region, Topic

# The steps, their order and the check of a typed answer are the service's
# (bot/services/events/answers.py); this table adds what each asks and shows.
BUTTON_STEPS = ("kind", "format", "region", "topics")
FORMAT_LABELS = {
    "in_person": N_("In person"),
    "online": N_("Online"),
    "hybrid": N_("Hybrid (in person and online)"),
}
EXAMPLE_DATE = "21.09.2026 10:00"


def _questions() -> dict[str, str]:
    """What each typed step asks (in the person's language)."""
    return {
        "title_ky": _("The title in Kyrgyz (or «Skip» if there is none)."),
        "title_ru": _("The title in Russian (or «Skip» if there is none)."),
        "description_ky": _("A description in Kyrgyz: agenda, who is invited (or «Skip»)."),
        "description_ru": _("A description in Russian (or «Skip»)."),
        "starts_at": _(
            "When does it start? Write the date and time like this: {example} (Bishkek time)."
        ).format(example=EXAMPLE_DATE),
        "ends_at": _("When does it end? For example: {example}").format(example="21.09.2026 13:00"),
        "venue": _("Where is it held? The venue and address."),
        "online_url": _("The link to join online (https://...)."),
        "capacity": _("How many seats? Send a number, or «Skip» if there is no limit."),
        "deadline": _(
            "Registration deadline, like {example}, or «Skip» to allow it until the start."
        ).format(example="20.09.2026 18:00"),
    }


async def ask(
    message: Message, session: AsyncSession, locale: str, step: str, answers: dict[str, Any]
) -> None:
    if step == "topics":
        await show_topics(message, session, locale, answers)
    elif step in ("kind", "format", "region"):
        question, options, columns = await _choices(session, locale, step)
        await message.answer(question, reply_markup=kb.form_pick(step, options, columns=columns))
    else:
        skip = kb.form_skip() if step in SKIPPABLE else None
        await message.answer(_questions()[step], reply_markup=skip)


async def _choices(
    session: AsyncSession, locale: str, step: str
) -> tuple[str, list[tuple[str, str]], int]:
    """What a button step asks, its options (code, label) and in how many columns."""
    if step == "kind":
        kinds = await reference.event_kinds(session)
        return _("What kind of event is it?"), [(k.code, k.name(locale)) for k in kinds], 2
    if step == "format":
        formats = [(code, _(label)) for code, label in FORMAT_LABELS.items()]
        return _("How is it held?"), formats, 1
    regions = await reference.all_regions(session)
    return _("Which region is it in or about?"), [(r.code, r.name(locale)) for r in regions], 2


async def topic_options(session: AsyncSession, locale: str) -> list[tuple[str, str]]:
    return [(topic.code, topic.name(locale)) for topic in await reference.topics(session)]


async def show_topics(
    message: Message, session: AsyncSession, locale: str, answers: dict[str, Any]
) -> None:
    chosen = frozenset(answers.get("topics") or [])
    await message.answer(
        _("Topics: press one or several, then «Done»."),
        reply_markup=kb.form_pick("topic", await topic_options(session, locale), chosen=chosen),
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
