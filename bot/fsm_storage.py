"""aiogram FSM storage in our database, so a conversation survives a restart.

Inside an update it writes through that update's session: the conversation step and the
domain change it records commit together, or not at all."""

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import FsmState

# Set by the database middleware for the duration of one update.
current_session: ContextVar[AsyncSession | None] = ContextVar("current_db_session", default=None)


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

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        async with self._session() as session:
            row = await session.get(FsmState, storage_key(key))
            if row is None:
                session.add(FsmState(key=storage_key(key), state=value, data={}))
            else:
                row.state = value

    async def get_state(self, key: StorageKey) -> str | None:
        async with self._session() as session:
            row = await session.get(FsmState, storage_key(key))
            return row.state if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        async with self._session() as session:
            row = await session.get(FsmState, storage_key(key))
            if row is None:
                session.add(FsmState(key=storage_key(key), state=None, data=dict(data)))
            else:
                row.data = dict(data)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self._session() as session:
            row = await session.get(FsmState, storage_key(key))
            return dict(row.data) if row else {}

    async def close(self) -> None:
        return None
