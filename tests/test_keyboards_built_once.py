"""Keyboards built once (bot.keyboards.common.built_once) are still each person's own: in
their language, with the organizer's button only for organizers, with the current labels."""

from pathlib import Path

from aiogram.types import InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot.i18n import create_i18n
from bot.keyboards import common
from bot.services.reference import RefItem

LOCALES = Path(__file__).resolve().parent.parent / "locales"


def labels(markup: InlineKeyboardMarkup | ReplyKeyboardMarkup) -> list[str]:
    if isinstance(markup, InlineKeyboardMarkup):
        return [button.text for row in markup.inline_keyboard for button in row]
    return [button.text for row in markup.keyboard for button in row]


def test_each_language_and_menu_gets_its_own_keyboard() -> None:
    i18n = create_i18n(LOCALES)
    with i18n.context():
        with i18n.use_locale("ky"):
            kyrgyz = common.consent_choice()
            participant = common.main_menu()
            token = common.organizer_menu.set(True)
            organizer = common.main_menu()
            common.organizer_menu.reset(token)
        with i18n.use_locale("ru"):
            russian = common.consent_choice()
    assert labels(kyrgyz) == ["Макулмун", "Макул эмесмин"]
    assert labels(russian) == ["Даю согласие", "Не даю согласия"]
    assert len(labels(organizer)) == len(labels(participant)) + 1
    assert labels(organizer)[:-1] == labels(participant)


def test_a_picker_follows_its_options() -> None:
    i18n = create_i18n(LOCALES)
    batken = RefItem(
        code="batken", name_ky="Баткен облусу", name_ru="Баткенская область", sort_order=1
    )
    renamed = RefItem(code="batken", name_ky="Баткен", name_ru="Баткен", sort_order=1)
    with i18n.context(), i18n.use_locale("ky"):
        first = common.pick("residence", [batken], "ky")
        again = common.pick("residence", [batken], "ky")
        after_rename = common.pick("residence", [renamed], "ky")
        with_skip = common.pick("residence", [batken], "ky", skip=True)
    assert again is first  # built once
    assert labels(first) == ["Баткен облусу"]
    assert labels(after_rename) == ["Баткен"]
    assert labels(with_skip) == ["Баткен облусу", "Өткөрүп жиберүү"]
