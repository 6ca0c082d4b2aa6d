"""Participants answer a poll (Telegram's native poll, in their language): each answer is
stored against them; one that arrives after the poll was closed is not counted, and they are
told so."""

from aiogram import Bot, Router
from aiogram.types import PollAnswer
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import polls
from db.models import User


def router() -> Router:
    r = Router(name="participant.polls")
    r.poll_answer.register(on_poll_answer)
    return r


async def on_poll_answer(
    poll_answer: PollAnswer, session: AsyncSession, user: User, bot: Bot
) -> None:
    answered = await polls.record_answer(session, poll_answer.poll_id, user, poll_answer.option_ids)
    if answered.outcome == "closed":
        await session.commit()
        await bot.send_message(
            user.telegram_id, _("This poll is already closed: your answer was not counted.")
        )
