"""The site's routes: each parses the request, asks bot/services/public.py, renders a template
in the page's language, and answers with an ETag and Last-Modified (304 when unchanged). The
pages live by family: bot/web/events.py, proposals.py, agencies.py, drafts.py and data.py, on
what they share in bot/web/base.py."""

import asyncio

from aiohttp import web

from bot.web.base import HERE
from bot.web.data import DataPages
from bot.web.drafts import DraftPages
from bot.web.events import EventPages
from bot.web.proposals import ProposalPages

LANG = "{lang:ky|ru}"


class Site(EventPages, ProposalPages, DataPages, DraftPages):
    """The public site: every family of pages on one object, and the routes to them."""

    def register(self, web_app: web.Application) -> None:
        r = web_app.router
        r.add_get("/", self.root)
        r.add_get(f"/{LANG}", self.events_page)
        r.add_get(f"/{LANG}/", self.events_page)
        r.add_get(f"/{LANG}/events", self.events_page)
        r.add_get(f"/{LANG}/events/{{event_id:\\d+}}", self.event_page)
        r.add_get("/events/{event_id:\\d+}/qr.png", self.event_qr)
        r.add_get("/events/{event_id:\\d+}/summary-file", self.summary_file)
        r.add_get(f"/{LANG}/proposals", self.proposals_page)
        r.add_get(f"/{LANG}/proposals/{{proposal_id:\\d+}}", self.proposal_page)
        r.add_get(f"/{LANG}/agencies", self.agencies_page)
        r.add_get(f"/{LANG}/agencies/{{code:[\\w-]+}}", self.agency_page)
        r.add_get(f"/{LANG}/drafts", self.drafts_page)
        r.add_get(f"/{LANG}/drafts/{{draft_id:\\d+}}", self.draft_page)
        r.add_get("/drafts/{draft_id:\\d+}/table.docx", self.draft_table)
        r.add_get(f"/{LANG}/data", self.data_page)
        r.add_get("/data/proposals.{fmt:csv|json}", self.proposals_data)
        r.add_get("/data/agencies.{fmt:csv|json}", self.agencies_data)
        r.add_static("/static", HERE / "static", append_version=False)
        web_app.on_cleanup.append(self._finish_refresh)

    async def _finish_refresh(self, _web_app: web.Application) -> None:
        if self._refresh is not None:
            await asyncio.gather(self._refresh, return_exceptions=True)
