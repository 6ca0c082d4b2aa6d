"""Open to anyone: a person opens an invitation link (/start ag_<token>) and becomes an
agency's representative; a proposal's author says whether an agency's answer answered it."""

from html import escape

from aiogram import Bot, F, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import refresh_menu
from bot.config import Settings
from bot.keyboards.agencies import SatisfactionCb
from bot.services import agencies
from bot.services.errors import InvalidInput, NotAllowed
from db.models import User
from handlers.common import drop_buttons, message_of


def router() -> Router:
    r = Router(name="agency_invitation")
    r.message.register(
        on_invitation, CommandStart(deep_link=True, magic=F.args.regexp(r"^ag_[\w-]+$"))
    )
    r.callback_query.register(on_satisfaction, SatisfactionCb.filter())
    return r


async def on_invitation(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    user: User,
    i18n: I18n,
    bot: Bot,
    settings: Settings,
) -> None:
    token = (command.args or "").removeprefix("ag_")
    try:
        agency = await agencies.accept_invitation(session, token, user)
    except InvalidInput:
        await message.answer(
            _(
                "This invitation link does not work: it was used, revoked or has expired. "
                "Ask the organizers for a new one."
            )
        )
        return
    await refresh_menu(bot, i18n, session, settings.admin_ids, user)
    await message.answer(
        _(
            "✅ You now represent {agency}.\n\n"
            "Each proposal forwarded to it comes here with its due date and three buttons: "
            "«Answer», «Not our competence» and «Ask for more days». Reminders come before "
            "and after the due date. /items lists the open proposals at any time; /cancel "
            "stops an answer half-written."
        ).format(agency=escape(agency.name(i18n.current_locale), quote=False))
    )


async def on_satisfaction(
    callback: CallbackQuery,
    callback_data: SatisfactionCb,
    session: AsyncSession,
    user: User,
    callback_answer: CallbackAnswer,
) -> None:
    try:
        await agencies.record_satisfaction(
            session, callback_data.answer_id, user, callback_data.satisfied
        )
    except NotAllowed:
        callback_answer.text = _("This question was asked to the proposal's author, not to you.")
        callback_answer.show_alert = True
        return
    except InvalidInput:
        callback_answer.text = _("You have already replied.")
        return
    await drop_buttons(callback)
    if message := message_of(callback):
        await message.answer(_("Thank you for your reply."))
