"""The site's agencies: the table of how they answer (cached) and an agency's page."""

import asyncio
import logging
import time

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import agencies, public
from bot.web.base import SiteBase
from db.models import utcnow

log = logging.getLogger(__name__)
# How long the agencies' table is served before it is computed again (it reads every forwarding).
TABLE_TTL_SECONDS = 60.0


class AgencyPages(SiteBase):
    async def agency_rows(self, session: AsyncSession) -> list[public.AgencyRow]:
        """The table reads every forwarding, so it is computed at most once a minute: an
        older table is served while a fresh one is computed in the background."""
        if self._table is None:
            rows = await public.agency_table(session, utcnow())
            self._table = (time.monotonic(), rows)
            return rows
        at, rows = self._table
        if time.monotonic() - at > TABLE_TTL_SECONDS and (
            self._refresh is None or self._refresh.done()
        ):
            self._refresh = asyncio.create_task(self._recompute(), name="site-agency-table")
        return rows

    async def _recompute(self) -> None:
        try:
            async with self.app.session_factory() as session:
                rows = await public.agency_table(session, utcnow())
            self._table = (time.monotonic(), rows)
        except Exception:
            log.exception("the agencies' table could not be computed; the old one stays")

    async def agencies_page(self, request: web.Request) -> web.StreamResponse:
        async with self.app.session_factory() as session:
            lang = request.match_info["lang"]
            # The most overdue first: the table is there to make agencies answer.
            rows = sorted(
                await self.agency_rows(session),
                key=lambda row: (-row.overdue, -row.open, row.agency.name(lang)),
            )
            return await self.render(request, session, "agencies.html", rows=rows)

    async def agency_page(self, request: web.Request) -> web.StreamResponse:
        lang = request.match_info["lang"]
        async with self.app.session_factory() as session:
            agency = await public.agency_by_code(session, request.match_info["code"])
            if agency is None:
                raise self.not_found()
            now = utcnow()
            page = await public.agency_page(session, agency, now)
            late = {
                f.id: agencies.overdue_days(f.due_at, now, self.tz)
                for _proposal, f in page.open_items
            }
            return await self.render(
                request,
                session,
                "agency.html",
                page=page,
                late=late,
                names=await self._names(session, lang),
            )
