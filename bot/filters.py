"""Who may press a button or send a command: role filters set on a router (or on one
handler), and the register the fallback router reads to tell a person that something is for
organizers, representatives or administrators instead of "this button no longer works".

    restrict(moderation.router(), Role.ORGANIZER)          # a whole router
    r.callback_query.register(on_x, XCb.filter(...), guard(Role.ORGANIZER, XCb, {"a", "b"}))
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import FilterObject
from aiogram.filters import BaseFilter, Command, StateFilter
from aiogram.filters.callback_data import CallbackData, CallbackQueryFilter
from aiogram.types import CallbackQuery, Message, TelegramObject
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.services import users
from db.models import AgencyRepresentative, User


class Role(StrEnum):
    ORGANIZER = "organizer"
    REPRESENTATIVE = "representative"
    ADMINISTRATOR = "administrator"


async def has_role(role: Role, user: User, settings: Settings, session: AsyncSession) -> bool:
    if role is Role.ADMINISTRATOR:
        return users.is_admin(settings.admin_ids, user)
    if role is Role.ORGANIZER:
        return users.can_organize(settings.admin_ids, user)
    query = select(AgencyRepresentative.id).where(AgencyRepresentative.user_id == user.id)
    return await session.scalar(query.limit(1)) is not None


class HasRole(BaseFilter):
    def __init__(self, role: Role) -> None:
        self.role = role

    async def __call__(
        self, event: TelegramObject, user: User, settings: Settings, session: AsyncSession
    ) -> bool:
        return await has_role(self.role, user, settings, session)


@dataclass
class _Claims:
    """Callback prefixes (with the actions, or all of them) and commands that need a role."""

    buttons: dict[str, list[tuple[frozenset[str] | None, Role]]] = field(default_factory=dict)
    commands: dict[str, Role] = field(default_factory=dict)


_CLAIMS = _Claims()


def _claim_button(role: Role, prefix: str, actions: frozenset[str] | None) -> None:
    entries = _CLAIMS.buttons.setdefault(prefix, [])
    if (actions, role) not in entries:
        entries.append((actions, role))


def guard(role: Role, callback: type[CallbackData], actions: set[str] | None = None) -> HasRole:
    """A filter for one handler of a router that serves several roles."""
    _claim_button(role, callback.__prefix__, frozenset(actions) if actions else None)
    return HasRole(role)


def for_commands(role: Role, *commands: str) -> HasRole:
    """A filter for one command handler of a router that serves several roles."""
    for command in commands:
        _CLAIMS.commands.setdefault(command.lower(), role)
    return HasRole(role)


def restrict(router: Router, role: Role) -> Router:
    """Every message and button of `router` and of the routers included in it is for `role`
    (aiogram checks a router's own filters before its sub-routers'; include them first); the
    register learns their commands and callback prefixes from the handlers' own filters."""
    router.message.filter(HasRole(role))
    router.callback_query.filter(HasRole(role))
    for part in router.chain_tail:
        _learn_claims(part, role)
    return router


def _learn_claims(router: Router, role: Role) -> None:
    for handler in router.message.handlers:
        filters = [flt.callback for flt in handler.filters or []]
        if any(isinstance(flt, StateFilter) for flt in filters):
            continue  # a step of a conversation (/cancel...), not the role's own command
        for flt in handler.filters or []:
            if isinstance(flt.callback, Command):
                for command in flt.callback.commands:
                    if isinstance(command, str):
                        _CLAIMS.commands.setdefault(command.lower(), role)
    for handler in router.callback_query.handlers:
        if any(isinstance(flt.callback, HasRole) for flt in handler.filters or []):
            continue  # guard() claimed its actions already, not the whole prefix
        for flt in handler.filters or []:
            if isinstance(flt.callback, CallbackQueryFilter):
                _claim_button(role, flt.callback.callback_data.__prefix__, None)


def _action_of(data: str) -> str:
    parts = data.split(":")
    return parts[1] if len(parts) > 1 else ""


def button_role(data: str | None) -> Role | None:
    """The role a button's callback data is meant for, if any."""
    if not data:
        return None
    prefix = data.split(":", 1)[0]
    for actions, role in _CLAIMS.buttons.get(prefix, []):
        if actions is None or _action_of(data) in actions:
            return role
    return None


def command_role(text: str | None) -> Role | None:
    if not text or not text.startswith("/"):
        return None
    command = text.split()[0][1:].split("@", 1)[0].lower()
    return _CLAIMS.commands.get(command)


def claimed_prefixes() -> dict[str, Any]:
    """For tests: what the register holds."""
    return {"buttons": dict(_CLAIMS.buttons), "commands": dict(_CLAIMS.commands)}


async def lacks_role_for(
    event: CallbackQuery | Message, user: User, settings: Settings, session: AsyncSession
) -> Role | None:
    """The role this press or command needs and the person does not have, or None."""
    role = button_role(event.data) if isinstance(event, CallbackQuery) else command_role(event.text)
    if role is None or await has_role(role, user, settings, session):
        return None
    return role


def filters_on_the_loop(dispatcher: Router) -> None:
    """aiogram runs every synchronous filter (a magic `F...` filter, a bare `State`) in a
    thread: a thread hop for each check of each update, dozens per update before its
    handler is found. Ours are attribute comparisons, far quicker on the event loop."""
    for router in dispatcher.chain_tail:
        for observer in router.observers.values():
            for handler in observer.handlers:
                for event_filter in handler.filters or []:
                    if not event_filter.awaitable:
                        event_filter.callback = _awaitable(event_filter.callback)
                        event_filter.awaitable = True


class PressFor:
    """A router's first filter for button presses: the press's callback data is one of the
    router's own (CallbackData prefixes), or the router is skipped whole."""

    def __init__(self, prefixes: set[tuple[str, str]]) -> None:
        self.exact = frozenset(prefix for prefix, _separator in prefixes)
        self.starts = tuple(sorted(prefix + separator for prefix, separator in prefixes))

    async def matches(self, *event: CallbackQuery) -> bool:
        # Asynchronous, so that aiogram calls it on the loop; with no named parameter, so
        # that it is given the event alone, none of the update's data.
        data = event[0].data or ""
        return data in self.exact or data.startswith(self.starts)


def skip_routers_for_other_buttons(dispatcher: Router) -> None:
    """A button press is checked against every handler of every router until one takes it
    (about forty for the registration's region, some of them asking the database for a
    role). A router whose button handlers all take CallbackData, and its sub-routers' too,
    gets a first filter on those prefixes, so that a press for another router passes it by
    at once. Those handlers could not take such a press anyway: nothing else changes."""
    for router in dispatcher.chain_tail:
        prefixes = _callback_prefixes(router)
        if prefixes:
            root = router.callback_query._handler  # what .filter() adds to, first here
            root.filters = [FilterObject(PressFor(prefixes).matches), *(root.filters or [])]


def _callback_prefixes(router: Router) -> set[tuple[str, str]] | None:
    """The (prefix, separator) pairs of every button handler under `router`, or None if
    one of them takes presses some other way (or any press)."""
    prefixes: set[tuple[str, str]] = set()
    for handler in router.callback_query.handlers:
        data = [
            flt.callback.callback_data
            for flt in handler.filters or []
            if isinstance(flt.callback, CallbackQueryFilter)
        ]
        if not data:
            return None
        prefixes.update((cls.__prefix__, cls.__separator__) for cls in data)
    for sub_router in router.sub_routers:
        below = _callback_prefixes(sub_router)
        if below is None:
            return None
        prefixes |= below
    return prefixes


def _awaitable(check: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    async def on_the_loop(*args: Any, **kwargs: Any) -> Any:
        return check(*args, **kwargs)

    return on_the_loop
