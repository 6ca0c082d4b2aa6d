"""aiogram FSM storage in our database, so a conversation survives a restart.

Inside an update it writes through that update's session: the conversation step and the
domain change it records commit together, or not at all. The row is read once per update
and written only when the state or the data changed."""

import copy
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services import users
from db.models import FsmState

# Set by the database middleware for the duration of one update.
current_session: ContextVar[AsyncSession | None] = ContextVar("current_db_session", default=None)
# Read on every update: built once (Session.get builds and keys its SELECT on each call).
_CONVERSATION_BY_KEY = select(FsmState).where(FsmState.key == bindparam("key"))


def storage_key(key: StorageKey) -> str:
    parts = (
        key.bot_id,
        key.chat_id,
        key.user_id,
        key.thread_id or "",
        key.business_connection_id or "",
        key.destiny,
    )
    return ":".join(str(part) for part in parts)


class DatabaseStorage(BaseStorage):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[AsyncSession]:
        session = current_session.get()
        if session is not None:
            yield session
            return
        async with self._session_factory() as own_session:
            yield own_session
            await own_session.commit()

    async def _row(self, session: AsyncSession, key: StorageKey) -> FsmState | None:
        """The conversation's row, read once per session (with its person: see
        users.person_and_conversation); the session keeps a reference to it (the identity
        map alone holds rows weakly) and remembers a key that has none."""
        name = storage_key(key)
        known: dict[str, FsmState | None] = session.info.setdefault("fsm_rows", {})
        if name in known:
            row = known[name]
            # Read again if a bulk delete (/deleteme) took it out of the session.
            if row is None or row in session:
                return row
        read = await users.person_and_conversation(session, key.user_id, name)
        if read is not None:
            row = read[1]
        else:  # someone not known yet
            row = await session.scalar(_CONVERSATION_BY_KEY, {"key": name})
        known[name] = row
        return row

    def _add(self, session: AsyncSession, row: FsmState) -> None:
        session.add(row)
        session.info.setdefault("fsm_rows", {})[row.key] = row

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        async with self._session() as session:
            row = await self._row(session, key)
            if row is None:
                if value is not None:
                    self._add(session, FsmState(key=storage_key(key), state=value, data={}))
            elif row.state != value:
                row.state = value

    async def get_state(self, key: StorageKey) -> str | None:
        async with self._session() as session:
            row = await self._row(session, key)
            return row.state if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        # Written only when it differs from what is stored: most steps change the state alone.
        new = copy.deepcopy(dict(data))
        async with self._session() as session:
            row = await self._row(session, key)
            if row is None:
                if new:
                    self._add(session, FsmState(key=storage_key(key), state=None, data=new))
            elif row.data != new:
                row.data = new

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self._session() as session:
            row = await self._row(session, key)
            # A copy all the way down, so that changing it in place is seen by set_data.
            return copy.deepcopy(row.data) if row else {}

    async def close(self) -> None:
        return None
