"""Small pieces every journey uses: turning service errors into words, tidying old buttons."""

from contextlib import suppress

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InaccessibleMessage, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _

from bot.services.errors import InvalidInput


def explain(error: InvalidInput) -> str:
    details = error.details
    messages = {
        "name_too_short": _("The name is too short: please write at least {minimum} letters."),
        "name_too_long": _(
            "The name is too long ({length} characters): please keep it within {maximum}."
        ),
        "name_bad_characters": _(
            "A name may contain only letters, spaces, hyphens and apostrophes. Please try again."
        ),
        "organisation_too_short": _("Please write at least {minimum} characters."),
        "organisation_too_long": _(
            "That is too long ({length} characters): please keep it within {maximum}."
        ),
        "country_invalid": _(
            "Please write the name of the country in letters ({minimum} to {maximum})."
        ),
        "phone_invalid": _("That does not look like a phone number."),
        "consent_required": _("First agree to the processing of personal data: send /start."),
    }
    template = messages.get(error.reason, _("Please check what you entered and try again."))
    return template.format(**details)


async def drop_buttons(callback: CallbackQuery) -> None:
    """Removes the inline keyboard a person just used, so it cannot be pressed twice."""
    message = callback.message
    if message is None or isinstance(message, InaccessibleMessage):
        return
    # Already gone if pressed twice quickly, or the message is too old to edit.
    with suppress(TelegramBadRequest):
        await message.edit_reply_markup(reply_markup=None)


def message_of(callback: CallbackQuery) -> Message | None:
    message = callback.message
    if message is None or isinstance(message, InaccessibleMessage):
        return None
    return message


def no_longer_active(answer: CallbackAnswer) -> None:
    """An old or foreign button: say so in an alert (CallbackAnswerMiddleware sends it)."""
    answer.text = _("This button is no longer active.")
    answer.show_alert = True
