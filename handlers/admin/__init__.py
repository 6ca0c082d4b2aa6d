"""Administrators (ADMIN_IDS): who the organizers are (/organizers), make one (/addorganizer)
and revoke the role. Every command and button here is for administrators only."""

from aiogram import Router

from bot.filters import Role, restrict
from handlers.admin import organizers


def router() -> Router:
    return restrict(organizers.router(), Role.ADMINISTRATOR)
