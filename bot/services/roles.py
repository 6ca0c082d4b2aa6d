"""Which roles a person has: organizer, administrator, agency representative. The command
menus and /help follow from them (bot/commands.py)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AgencyRepresentative, User

PARTICIPANT, REPRESENTATIVE, ORGANIZER, ADMIN = (
    "participant",
    "representative",
    "organizer",
    "admin",
)
# In the order their sections appear in a menu and in /help.
ROLES = (PARTICIPANT, REPRESENTATIVE, ORGANIZER, ADMIN)


async def roles_of(session: AsyncSession, admin_ids: frozenset[int], user: User) -> frozenset[str]:
    """Every role beyond participant; an administrator can do all an organizer can."""
    found: set[str] = set()
    if user.telegram_id in admin_ids:
        found |= {ADMIN, ORGANIZER}
    if user.is_organizer:
        found.add(ORGANIZER)
    represents = await session.scalar(
        select(AgencyRepresentative.id).where(AgencyRepresentative.user_id == user.id).limit(1)
    )
    if represents is not None:
        found.add(REPRESENTATIVE)
    return frozenset(found)
