"""What a button acts on, kept on the server under a short token (table button_lists): the
ids of a page ("publish all on this page"), a search query to page through. Callback data
then holds only the token, within Telegram's 64 bytes, and any process can read it."""

import secrets
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ButtonList, utcnow

KEEP_FOR = timedelta(days=30)


async def keep(session: AsyncSession, payload: str) -> str:
    await session.execute(delete(ButtonList).where(ButtonList.created_at < utcnow() - KEEP_FOR))
    token = secrets.token_urlsafe(9)  # 12 characters
    session.add(ButtonList(token=token, payload=payload))
    await session.flush()
    return token


async def keep_ids(session: AsyncSession, ids: list[int]) -> str:
    return await keep(session, ",".join(str(i) for i in ids))


async def read(session: AsyncSession, token: str) -> str | None:
    row = await session.get(ButtonList, token)
    return row.payload if row is not None else None


async def read_ids(session: AsyncSession, token: str) -> list[int]:
    payload = await read(session, token) or ""
    return [int(part) for part in payload.split(",") if part.isdigit()]
