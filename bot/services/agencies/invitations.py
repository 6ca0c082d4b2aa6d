"""One-time invitation links that make a person an agency's representative."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.agencies.directory import is_representative
from bot.services.errors import InvalidInput
from db.models import (
    Agency,
    AgencyInvitation,
    AgencyRepresentative,
    User,
    utcnow,
)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_invitation(
    session: AsyncSession,
    agency: Agency,
    organizer: User,
    *,
    days: int = 7,
    now: datetime | None = None,
) -> tuple[AgencyInvitation, str]:
    """Returns the invitation and its token (shown once; only its hash is stored)."""
    token = secrets.token_urlsafe(24)
    invitation = AgencyInvitation(
        agency_id=agency.id,
        token_hash=_hash(token),
        created_by=organizer.id,
        expires_at=(now or utcnow()) + timedelta(days=days),
    )
    session.add(invitation)
    await session.flush()
    return invitation, token


async def open_invitations(
    session: AsyncSession, agency_id: int, now: datetime
) -> list[AgencyInvitation]:
    rows = await session.scalars(
        select(AgencyInvitation)
        .where(
            AgencyInvitation.agency_id == agency_id,
            AgencyInvitation.used_at.is_(None),
            AgencyInvitation.revoked_at.is_(None),
            AgencyInvitation.expires_at > now,
        )
        .order_by(AgencyInvitation.id)
    )
    return list(rows)


async def revoke_invitation(session: AsyncSession, invitation_id: int, now: datetime) -> None:
    invitation = await session.get(AgencyInvitation, invitation_id)
    if invitation and invitation.used_at is None:
        invitation.revoked_at = invitation.revoked_at or now


async def accept_invitation(
    session: AsyncSession, token: str, user: User, now: datetime | None = None
) -> Agency:
    """Makes the user a representative; the token works once, before it expires."""
    now = now or utcnow()
    # Claim it with one conditional UPDATE so two people opening the same link race safely.
    claimed = await session.execute(
        update(AgencyInvitation)
        .where(
            AgencyInvitation.token_hash == _hash(token),
            AgencyInvitation.used_at.is_(None),
            AgencyInvitation.revoked_at.is_(None),
            AgencyInvitation.expires_at > now,
        )
        .values(used_at=now, used_by=user.id)
        .returning(AgencyInvitation.agency_id)
    )
    agency_id = claimed.scalar()
    if agency_id is None:
        raise InvalidInput("invitation_invalid")
    if not await is_representative(session, user, agency_id):
        session.add(AgencyRepresentative(agency_id=agency_id, user_id=user.id))
    await session.flush()
    agency = await session.get(Agency, agency_id)
    assert agency is not None
    return agency


async def open_invitations_with_makers(
    session: AsyncSession, agency_id: int, now: datetime
) -> list[tuple[AgencyInvitation, User | None]]:
    """open_invitations() with the organizer who made each (None when unknown)."""
    return [
        (
            invitation,
            await session.get(User, invitation.created_by) if invitation.created_by else None,
        )
        for invitation in await open_invitations(session, agency_id, now)
    ]
