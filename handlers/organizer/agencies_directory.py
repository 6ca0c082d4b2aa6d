"""Organizers keep the agency directory: an agency's card (/agency code: answer time, calendar
or working days, retire) and new agencies (/addagency). Invitations and representatives are in
agencies_people.py, the topic routes and the holidays in agencies_routes.py."""

from html import escape
from typing import Any

from aiogram.filters import BaseFilter, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import I18n, ngettext
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.keyboards import agencies as kb
from bot.keyboards.agencies import AgencyDirectoryCb
from bot.services import agencies
from bot.services.errors import InvalidInput
from db.models import Agency
from handlers.common import message_of


class OnActiveAgency(BaseFilter):
    """A press about an agency still active, on a message still there: supplies `message` and
    `agency`. Anything else goes on to the fallback: the button is no longer active."""

    async def __call__(
        self, callback: CallbackQuery, callback_data: AgencyDirectoryCb, session: AsyncSession
    ) -> bool | dict[str, Any]:
        message = message_of(callback)
        if message is None:
            return False
        agency = await agencies.active_agency(session, callback_data.id)
        return False if agency is None else {"message": message, "agency": agency}


def answer_time(days: int, working: bool) -> str:
    if working:
        template = ngettext(
            "Answer time: {days} working day", "Answer time: {days} working days", days
        )
    else:
        template = ngettext(
            "Answer time: {days} calendar day", "Answer time: {days} calendar days", days
        )
    return template.format(days=days)


async def show_card(message: Message, session: AsyncSession, agency: Agency, locale: str) -> None:
    reps = await agencies.representatives(session, agency.id)
    lines = [
        f"<b>{escape(agency.name(locale), quote=False)}</b> (<code>{agency.code}</code>)",
        answer_time(agency.answer_days, agency.working_days),
        _("Representatives: {count}").format(count=len(reps)),
    ]
    if not agency.is_active:
        lines.append(_("Retired: no longer offered for forwarding."))
    await message.answer("\n".join(lines), reply_markup=kb.agency_card(agency))


async def on_agency(
    message: Message, command: CommandObject, session: AsyncSession, i18n: I18n
) -> None:
    code = (command.args or "").strip().lower()
    agency = await agencies.agency_by_code(session, code)
    if agency is None:
        await message.answer(_("Write it like this: /agency minedu (the codes are in /agencies)."))
        return
    await show_card(message, session, agency, i18n.current_locale)


async def on_add_agency(
    message: Message, command: CommandObject, session: AsyncSession, i18n: I18n
) -> None:
    usage = _(
        "Write it in one line, parts separated by «;»: code; name in Kyrgyz; name in Russian; "
        "days to answer; working or calendar. For example:\n"
        "/addagency minjust; Юстиция министрлиги; Министерство юстиции; 14; working"
    )
    parts = [part.strip() for part in (command.args or "").split(";")]
    if len(parts) != 5 or not parts[3].isdigit() or parts[4] not in ("working", "calendar"):
        await message.answer(usage)
        return
    code, name_ky, name_ru, days, kind = parts
    if not code.replace("-", "").isalnum() or not code.isascii():
        await message.answer(_("The code may have only Latin letters, digits and «-»."))
        return
    try:
        agency = await agencies.add_agency(
            session, code, name_ky, name_ru, int(days), kind == "working"
        )
    except InvalidInput as error:
        if error.reason == "agency_code_taken":
            await message.answer(_("The code {code} is taken.").format(code=code.lower()))
        elif error.reason == "answer_days_range":
            await message.answer(_("Days to answer: from 1 to 365."))
        else:
            await message.answer(usage)
        return
    await message.answer(_("The agency is added."))
    await show_card(message, session, agency, i18n.current_locale)


async def on_days(
    _callback: CallbackQuery,
    message: Message,
    agency: Agency,
    callback_data: AgencyDirectoryCb,
    session: AsyncSession,
    i18n: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    await agencies.edit_agency(session, agency, answer_days=int(callback_data.value))
    callback_answer.text = _(
        "Answer time: {days} days, for proposals forwarded from now on."
    ).format(days=agency.answer_days)
    await show_card(message, session, agency, i18n.current_locale)


async def on_kind(
    _callback: CallbackQuery, message: Message, agency: Agency, session: AsyncSession, i18n: I18n
) -> None:
    await agencies.edit_agency(session, agency, working_days=not agency.working_days)
    await show_card(message, session, agency, i18n.current_locale)


async def on_retire(_callback: CallbackQuery, message: Message, agency: Agency, i18n: I18n) -> None:
    await message.answer(
        _(
            "Retire {agency}? Its open items stay open and followed up; new proposals "
            "can no longer be forwarded to it."
        ).format(agency=escape(agency.name(i18n.current_locale), quote=False)),
        reply_markup=kb.retire_confirm(agency.id),
    )


async def on_retire_yes(
    _callback: CallbackQuery, message: Message, agency: Agency, session: AsyncSession, i18n: I18n
) -> None:
    await agencies.retire_agency(session, agency)
    await message.edit_text(
        _("{agency} is retired.").format(
            agency=escape(agency.name(i18n.current_locale), quote=False)
        )
    )
