"""Leases: a named job that one process at a time runs. Taking one is a single UPDATE, so
two processes racing for it cannot both win (PostgreSQL re-checks the WHERE after the
other's commit; SQLite writes one transaction at a time)."""

from datetime import timedelta

from sqlalchemy import or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.dialect import insert_for
from db.models import Lease, utcnow


async def take(session: AsyncSession, name: str, holder: str, seconds: float) -> bool:
    """Takes (or renews) the lease for `seconds`; False when another holder has it."""
    now = utcnow()
    await session.execute(
        insert_for(session)(Lease)
        .values(name=name, holder="", expires_at=now)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    result = await session.execute(
        update(Lease)
        .where(Lease.name == name, or_(Lease.expires_at <= now, Lease.holder == holder))
        .values(holder=holder, expires_at=now + timedelta(seconds=seconds))
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def give_back_all(session: AsyncSession, holder: str) -> None:
    """On a clean stop: the other processes (or this one restarted) need not wait them out."""
    await session.execute(update(Lease).where(Lease.holder == holder).values(expires_at=utcnow()))
