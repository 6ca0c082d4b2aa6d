"""/start, the choice of language (also /language) and consent."""

from aiogram import Bot, Router, html
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandStart
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import refresh_staff_menu, reset_chat_menu, set_chat_menu
from bot.config import Settings
from bot.i18n import language_from_telegram
from bot.keyboards import common as kb
from bot.keyboards.callbacks import ConsentCb, LanguageCb
from bot.services import users
from bot.services.roles import roles_of
from db.models import User
from handlers.common import WithMessage, drop_buttons
from handlers.participant import registration
from handlers.wizard import Conversation, conversations

# Shown before the person has a language: both, on purpose, and so not through gettext.
BILINGUAL_GREETING = (
    "Саламатсызбы! Бул — «Кеңеш», коомдук талкуулардын боту. Тилди тандаңыз.\n"
    "Здравствуйте! Это «Кенеш», бот общественных консультаций. Выберите язык."
)


def router() -> Router:
    r = conversations(Router(name="start"))
    r.message.register(on_start, CommandStart())
    r.message.register(on_language_command, Command("language"))
    r.callback_query.register(on_language_chosen, LanguageCb.filter(), WithMessage(required=False))
    r.callback_query.register(on_consent, ConsentCb.filter(), WithMessage())
    return r


async def on_start(
    message: Message, conv: Conversation, user: User, i18n: I18n, bot: Bot, settings: Settings
) -> None:
    telegram_language = language_from_telegram(
        message.from_user.language_code if message.from_user else None
    )
    if user.language is None and telegram_language is None:
        await message.answer(BILINGUAL_GREETING, reply_markup=kb.language_choice())
        return
    if user.consent is None:
        await message.answer(
            _("Welcome to Kenesh, the bot for public consultations. Choose your language."),
            reply_markup=kb.language_choice(),
        )
        return
    await continue_journey(conv)
    await refresh_staff_menu(bot, i18n, conv.session, settings.admin_ids, conv.user)


async def on_language_command(message: Message) -> None:
    await message.answer(_("Choose your language."), reply_markup=kb.language_choice())


async def on_language_chosen(
    callback: CallbackQuery,
    callback_data: LanguageCb,
    message: Message | None,
    user: User,
    session: AsyncSession,
    i18n: I18n,
    bot: Bot,
    settings: Settings,
    conv: Conversation | None = None,
) -> None:
    previous = user.language
    await users.set_language(session, user, callback_data.code)
    roles = await roles_of(session, settings.admin_ids, user)
    with i18n.use_locale(callback_data.code):
        await follow_language(bot, i18n, callback, roles, previous, callback_data.code)
        if user.consent is None:
            await show_consent(bot, callback.from_user.id, message)
            return
        await drop_buttons(callback)
        if message is None or conv is None:
            return
        switched = (
            _("The language is now Kyrgyz.")
            if callback_data.code == "ky"
            else _("The language is now Russian.")
        )
        await message.answer(switched, reply_markup=kb.main_menu())
        # The conversation was made before the switch; its replies are in the new language.
        conv.locale = callback_data.code
        await continue_journey(conv, greet=False)


async def follow_language(
    bot: Bot,
    i18n: I18n,
    callback: CallbackQuery,
    roles: frozenset[str],
    previous: str | None,
    chosen: str,
) -> None:
    """The menu follows the chosen language, not the app's. A chat needs a menu of its own only
    for a role or for a language other than the app's; the default menus serve the rest."""
    app_language = language_from_telegram(callback.from_user.language_code)
    chat_id = callback.from_user.id
    if roles or chosen != app_language:
        await set_chat_menu(bot, i18n, chat_id, chosen, roles)
    elif previous is not None and previous != app_language:
        await reset_chat_menu(bot, chat_id)


async def show_consent(bot: Bot, chat_id: int, chosen_under: Message | None) -> None:
    """The message the language was chosen under turns into the consent, in that language:
    one call to Telegram, not a removal and another message. When Telegram no longer lets
    the bot reach that message, or refuses the edit, the consent comes as a new message."""
    if chosen_under is not None:
        try:
            await chosen_under.edit_text(consent_text(), reply_markup=kb.consent_choice())
            return
        except TelegramBadRequest as error:
            if "not modified" in error.message:  # pressed twice: it is the consent already
                return
    await bot.send_message(chat_id, consent_text(), reply_markup=kb.consent_choice())


def consent_text() -> str:
    return _(
        "<b>Consent to the processing of personal data</b>\n\n"
        "To register you for events and follow up on your proposals, Kenesh keeps: "
        "your full name, where you live (region, or country if abroad), whom you "
        "represent, and, if you wish, your gender, organisation and phone number.\n\n"
        "Organizers use these data to contact participants and, only as totals, for the "
        "participation figures in their reports (how many took part, women and men, from "
        "which regions and countries). They are not passed to anyone else.\n\n"
        "You can erase your data at any time with /deleteme."
    )


async def on_consent(
    callback: CallbackQuery, callback_data: ConsentCb, message: Message, conv: Conversation
) -> None:
    user, session, state = conv.user, conv.session, conv.state
    await drop_buttons(callback)
    if user.consent == users.CONSENT_GIVEN:
        await continue_journey(conv)
        return
    await users.record_consent(session, user, callback_data.agree)
    if not callback_data.agree:
        await state.clear()
        await message.answer(
            _(
                "Understood. We keep only your Telegram id and language, nothing else. "
                "You can still read events and summaries. To take part, send /start and agree."
            ),
            reply_markup=kb.main_menu(),
        )
        return
    await registration.begin(
        conv, lead=_("Thank you! Now a few questions so organizers know who takes part.")
    )


async def continue_journey(conv: Conversation, *, greet: bool = True) -> None:
    """Where a returning person stands: mid-registration, declined, or fully registered."""
    user, message = conv.user, conv.message
    if await registration.is_in_progress(conv.state):
        await registration.resume(conv)
    elif user.consent == users.CONSENT_GIVEN and not user.is_registered:
        await registration.begin(conv, lead=_("Let us finish your registration."))
    elif user.consent != users.CONSENT_GIVEN:
        await message.answer(
            _("You can read events and summaries. To take part, agree to the processing of data."),
            reply_markup=kb.consent_choice(),
        )
    elif greet:
        await message.answer(
            _("Welcome back, {name}! Choose what you need in the menu.").format(
                name=html.quote(user.full_name or "")
            ),
            reply_markup=kb.main_menu(),
        )
