"""The site's proposals: the filtered, searchable list and a proposal's page."""

from urllib.parse import urlencode

from aiohttp import web

from bot.services import public
from bot.web.base import SiteBase
from db.models import utcnow

MAX_QUERY = 200


class ProposalPages(SiteBase):
    async def proposals_page(self, request: web.Request) -> web.StreamResponse:
        lang = request.match_info["lang"]
        query = request.query
        region, topic = query.get("region", ""), query.get("topic", "")
        search = query.get("q", "").strip()[:MAX_QUERY]
        sort = query.get("sort", "new")
        sort = sort if sort in public.SORTS else "new"
        event = query.get("event", "")
        async with self.app.session_factory() as session:
            names = await self._names(session, lang)
            region = region if region in names["region"] else ""
            topic = topic if topic in names["topic"] else ""
            found = await public.listing(
                session,
                region=region or None,
                topic=topic or None,
                event_id=int(event) if event.isdigit() and len(event) < 10 else None,
                query=search,
                sort=sort,
                after=public.Cursor.parse(query.get("after")),
            )
            kept = {
                k: v
                for k, v in (
                    ("region", region),
                    ("topic", topic),
                    ("q", search),
                    ("sort", sort if not search else ""),
                    ("event", event if event.isdigit() else ""),
                )
                if v
            }
            more = None
            if found.next is not None:
                more = f"/{lang}/proposals?" + urlencode({**kept, "after": found.next.token()})
            return await self.render(
                request,
                session,
                "proposals.html",
                found=found,
                names=names,
                region=region,
                topic=topic,
                q=search,
                sort=sort,
                more=more,
                first_page=not query.get("after"),
            )

    async def proposal_page(self, request: web.Request) -> web.StreamResponse:
        lang = request.match_info["lang"]
        async with self.app.session_factory() as session:
            proposal = await public.get_proposal(session, int(request.match_info["proposal_id"]))
            if proposal is None:
                raise self.not_found()
            found = await public.detail(session, proposal, utcnow(), self.tz)
            return await self.render(
                request,
                session,
                "proposal.html",
                d=found,
                p=proposal,
                names=await self._names(session, lang),
            )
