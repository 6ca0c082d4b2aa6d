"""The site's events: the list, an event's page, its QR code and its outcome document."""

import logging
from urllib.parse import quote

from aiogram.exceptions import TelegramAPIError
from aiogram.utils.i18n import gettext as _
from aiohttp import ClientError, web

from bot.services import event_files, events, public
from bot.web.base import SiteBase
from db.models import utcnow

log = logging.getLogger(__name__)


class EventPages(SiteBase):
    async def events_page(self, request: web.Request) -> web.StreamResponse:
        async with self.app.session_factory() as session:
            upcoming, past = await public.event_lists(session, utcnow())
            return await self.render(
                request,
                session,
                "events.html",
                upcoming=upcoming,
                past=past,
                names=await self._names(session, request.match_info["lang"]),
            )

    async def event_page(self, request: web.Request) -> web.StreamResponse:
        lang = request.match_info["lang"]
        async with self.app.session_factory() as session:
            event = await public.public_event(session, int(request.match_info["event_id"]))
            if event is None:
                raise self.not_found()
            now = utcnow()
            with self.app.i18n.context(), self.app.i18n.use_locale(lang):
                other_country = _("Other countries")
            figures = await public.participation(session, event.id, lang, other_country)
            summary = await public.summary_of(session, event.id)
            topics = await events.topic_codes(session, event.id)
            return await self.render(
                request,
                session,
                "event.html",
                event=event,
                ended=event.ends_at <= now,
                figures=figures,
                summary=summary,
                summary_text=summary.text(lang) if summary else "",
                topics=topics,
                seats_left=await events.seats_left(session, event),
                register_link=event_files.deep_link(
                    (await self.bot_link(request)).removeprefix("https://t.me/"), event.id
                ),
                names=await self._names(session, lang),
            )

    async def event_qr(self, request: web.Request) -> web.StreamResponse:
        event_id = int(request.match_info["event_id"])
        async with self.app.session_factory() as session:
            if await public.public_event(session, event_id) is None:
                raise self.not_found()
        username = (await self.bot_link(request)).removeprefix("https://t.me/")
        png = event_files.qr_png(event_files.deep_link(username, event_id))
        etag = self.etag(png)
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(
            body=png,
            content_type="image/png",
            headers={"ETag": etag, "Cache-Control": "public, max-age=86400"},
        )

    async def summary_file(self, request: web.Request) -> web.StreamResponse:
        """The organizers' outcome document of an event, fetched from Telegram."""
        event_id = int(request.match_info["event_id"])
        async with self.app.session_factory() as session:
            event = await public.public_event(session, event_id)
            summary = await public.summary_of(session, event_id) if event else None
        if summary is None or not summary.file_id:
            raise self.not_found()
        etag = self.etag(summary.file_id.encode())
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        try:
            content = await self.app.bot.download(summary.file_id)
        except (TelegramAPIError, ClientError) as error:
            log.warning("site: the outcome document could not be fetched: %s", error)
            raise self._unavailable(request) from None
        assert content is not None
        name = summary.file_name or f"event-{event_id}"
        return web.Response(
            body=content.read(),
            content_type="application/octet-stream",
            headers={
                "ETag": etag,
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
            },
        )
