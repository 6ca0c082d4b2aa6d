from collections.abc import Callable, Hashable, Sequence
from contextvars import ContextVar
from enum import StrEnum
from functools import wraps
from typing import ParamSpec, Protocol, TypeVar

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder, ReplyKeyboardBuilder

from bot.i18n import N_, zone_label
from bot.keyboards.callbacks import (
    CancelCb,
    ConsentCb,
    DeleteMeCb,
    LanguageCb,
    PickCb,
    ProfileCb,
    SkipCb,
)
from db.reference_data import TIME_ZONES


class Choice(Protocol):
    """A reference item as a button shows it (a RefItem snapshot or a reference row)."""

    @property
    def code(self) -> str: ...
    def name(self, locale: str | None) -> str: ...


# The language names are written in their own language on purpose: not translated.
LANGUAGE_LABELS = {"ky": "Кыргызча", "ru": "Русский"}

# Main menu labels; handlers match them in every language (bot.i18n.translations).
MENU_EVENTS = N_("🗓 Events")
MENU_PROPOSE = N_("✍️ Submit a proposal")
MENU_MY_PROPOSALS = N_("📂 My proposals")
MENU_SUMMARIES = N_("📄 Summaries")
MENU_PROFILE = N_("👤 Profile")
MENU_HELP = N_("❓ Help")
MENU_HOME = N_("🏠 Organizer")

# Whether the person of the current update organizes: their main menu then leads to their
# home screen too. Set for each update by bot/middlewares/user.py, as the locale is.
organizer_menu: ContextVar[bool] = ContextVar("organizer_menu", default=False)

P = ParamSpec("P")
Markup = TypeVar("Markup", InlineKeyboardMarkup, ReplyKeyboardMarkup)
BUILT_KEYBOARDS_KEPT = 512


def built_once(build: Callable[P, Markup]) -> Callable[P, Markup]:
    """A keyboard that depends only on its (hashable) arguments, the language and the
    organizer menu, built once for each.

    pydantic builds a button in about 80 µs (the region picker took 1 ms, as long as the
    rest of the update), and the markups are frozen: one can be sent any number of times."""
    built: dict[Hashable, Markup] = {}

    @wraps(build)
    def keyboard(*args: P.args, **kwargs: P.kwargs) -> Markup:
        i18n = I18n.get_current(no_error=True)
        locale = i18n.current_locale if i18n is not None else None
        key = (locale, organizer_menu.get(), args, tuple(sorted(kwargs.items())))
        markup = built.get(key)
        if markup is None:
            if len(built) >= BUILT_KEYBOARDS_KEPT:
                built.clear()
            markup = built[key] = build(*args, **kwargs)
        return markup

    return keyboard


@built_once
def main_menu() -> ReplyKeyboardMarkup:
    builder = ReplyKeyboardBuilder()
    for label in (
        MENU_EVENTS,
        MENU_PROPOSE,
        MENU_MY_PROPOSALS,
        MENU_SUMMARIES,
        MENU_PROFILE,
        MENU_HELP,
        *((MENU_HOME,) if organizer_menu.get() else ()),
    ):
        builder.button(text=_(label))
    builder.adjust(2)
    return builder.as_markup(resize_keyboard=True, is_persistent=True)


@built_once
def language_choice() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code, label in LANGUAGE_LABELS.items():
        builder.button(text=label, callback_data=LanguageCb(code=code))
    return builder.as_markup()


def one_a_row(*buttons: tuple[str, CallbackData]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for text, data in buttons:
        builder.button(text=text, callback_data=data)
    builder.adjust(1)
    return builder.as_markup()


@built_once
def consent_choice() -> InlineKeyboardMarkup:
    return one_a_row(
        (_("I agree"), ConsentCb(agree=True)), (_("I do not agree"), ConsentCb(agree=False))
    )


def pick(
    field: str,
    options: Sequence[Choice],
    locale: str,
    *,
    columns: int = 2,
    extra: Sequence[tuple[str, str]] = (),
    skip: bool = False,
) -> InlineKeyboardMarkup:
    """Buttons for reference rows (their code goes into the callback data)."""
    labels = tuple((option.code, option.name(locale)) for option in options)
    return _picker(field, (*labels, *extra), columns, skip)


@built_once
def _picker(
    field: str, labels: tuple[tuple[str, str], ...], columns: int, skip: bool
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for value, label in labels:
        builder.button(text=label, callback_data=PickCb(field=field, value=value))
    if skip:
        builder.button(text=_("Skip"), callback_data=SkipCb(field=field))
    builder.adjust(columns)
    return builder.as_markup()


@built_once
def gender_choice() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Woman"), callback_data=PickCb(field="gender", value="female"))
    builder.button(text=_("Man"), callback_data=PickCb(field="gender", value="male"))
    builder.button(text=_("Prefer not to say"), callback_data=SkipCb(field="gender"))
    builder.adjust(2, 1)
    return builder.as_markup()


@built_once
def skip_only(field: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Skip"), callback_data=SkipCb(field=field))
    return builder.as_markup()


@built_once
def share_phone() -> ReplyKeyboardMarkup:
    builder = ReplyKeyboardBuilder()
    builder.add(KeyboardButton(text=_("📱 Share my number"), request_contact=True))
    builder.add(KeyboardButton(text=_("Skip")))
    builder.adjust(1)
    return builder.as_markup(resize_keyboard=True, one_time_keyboard=True)


class ProfileAction(StrEnum):
    """The buttons of the profile card (ProfileCb.action), one handler each."""

    EDIT = "edit"
    TOGGLE_ANNOUNCEMENTS = "toggle_announcements"
    LANGUAGE = "language"
    ZONES = "zones"
    ZONE = "zone"
    DELETE = "delete"


def profile_actions(announcements_enabled: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    edits = (
        ("full_name", _("Edit name")),
        ("residence", _("Edit place of residence")),
        ("category", _("Edit category")),
        ("gender", _("Edit gender")),
        ("organisation", _("Edit organisation")),
        ("phone", _("Edit phone")),
    )
    for field, label in edits:
        builder.button(text=label, callback_data=ProfileCb(action=ProfileAction.EDIT, field=field))
    toggle = (
        _("🔕 Turn announcements off") if announcements_enabled else _("🔔 Turn announcements on")
    )
    builder.button(text=toggle, callback_data=ProfileCb(action=ProfileAction.TOGGLE_ANNOUNCEMENTS))
    builder.button(text=_("Language"), callback_data=ProfileCb(action=ProfileAction.LANGUAGE))
    builder.button(text=_("🕓 Time zone"), callback_data=ProfileCb(action=ProfileAction.ZONES))
    builder.button(text=_("Delete my data"), callback_data=ProfileCb(action=ProfileAction.DELETE))
    builder.adjust(2, 2, 2, 1, 2, 1)
    return builder.as_markup()


def time_zones(zones: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """(zone, label) pairs, two a row."""
    builder = InlineKeyboardBuilder()
    for zone, label in zones:
        builder.button(text=label, callback_data=ProfileCb(action=ProfileAction.ZONE, field=zone))
    builder.adjust(2)
    return builder.as_markup()


@built_once
def time_zone_choice(locale: str) -> InlineKeyboardMarkup:
    """The time zones a person may choose, named in their language."""
    return time_zones([(zone, zone_label(zone, locale)) for zone in TIME_ZONES])


@built_once
def deleteme_confirm() -> InlineKeyboardMarkup:
    return one_a_row(
        (_("Yes, delete my data"), DeleteMeCb(confirm=True)),
        (_("Cancel"), DeleteMeCb(confirm=False)),
    )


@built_once
def cancel_only() -> InlineKeyboardMarkup:
    """The one Cancel button that stops any multi-step flow (the same as /cancel)."""
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Cancel"), callback_data=CancelCb())
    return builder.as_markup()
