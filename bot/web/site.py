"""The site's routes: each parses the request, asks bot/services/public.py, renders a template
in the page's language, and answers with an ETag and Last-Modified (304 when unchanged)."""

import asyncio
import csv
import hashlib
import io
import json
import logging
import time
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from aiogram.exceptions import TelegramAPIError
from aiogram.utils.i18n import gettext as _
from aiohttp import ClientError, web
from babel.numbers import format_percent
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import ScalarResult, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import DEFAULT_LOCALE, format_day, format_when
from bot.notices.agencies import OUTCOME_NAMES
from bot.notices.proposals import status_name
from bot.services import agencies, event_files, events, public
from db.models import Country, EventKind, Region, StakeholderCategory, Topic, utcnow

if TYPE_CHECKING:
    from bot.context import App

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
LANG = "{lang:ky|ru}"
# How long the agencies' table is served before it is computed again (it reads every forwarding).
TABLE_TTL_SECONDS = 60.0
MAX_QUERY = 200
REFERENCE_TTL_SECONDS = 60.0


class Site:
    def __init__(self, app: "App") -> None:
        self.app = app
        self.tz = app.settings.tz
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(["html"]),
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
        )
        i18n = app.i18n
        self.env.install_gettext_callables(  # type: ignore[attr-defined]
            gettext=lambda message: i18n.gettext(message),
            ngettext=lambda singular, plural, n: i18n.gettext(singular, plural, n),
            newstyle=False,
        )
        self.env.filters["when"] = lambda moment, lang: format_when(moment, lang, self.tz)
        self.env.filters["day"] = lambda moment, lang: format_day(moment, lang, self.tz)
        self.env.filters["percent"] = lambda share, lang: format_percent(share, locale=lang)
        self.env.globals["status_name"] = status_name
        self.env.globals["outcome_name"] = lambda code: OUTCOME_NAMES[code]() if code else ""
        self._table: tuple[float, list[public.AgencyRow]] | None = None
        self._refresh: asyncio.Task[None] | None = None
        self._username: str | None = None
        self._reference: dict[str, tuple[float, dict[str, dict[str, str]]]] = {}

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
        r.add_get(f"/{LANG}/data", self.data_page)
        r.add_get("/data/proposals.{fmt:csv|json}", self.proposals_data)
        r.add_get("/data/agencies.{fmt:csv|json}", self.agencies_data)
        r.add_static("/static", HERE / "static", append_version=False)
        web_app.on_cleanup.append(self._finish_refresh)

    async def _finish_refresh(self, _web_app: web.Application) -> None:
        if self._refresh is not None:
            await asyncio.gather(self._refresh, return_exceptions=True)

    # --- plumbing ------------------------------------------------------------------------

    async def bot_link(self, request: web.Request) -> str:
        """https://t.me/<bot>, from getMe once; while Telegram does not answer, 503."""
        if self._username is None:
            try:
                me = await self.app.bot.me()
            except TelegramAPIError as error:
                log.warning("site: getMe failed: %s", type(error).__name__)
                raise self._unavailable(request) from None
            self._username = me.username or ""
        return f"https://t.me/{self._username}"

    def _unavailable(self, request: web.Request) -> web.HTTPServiceUnavailable:
        with self.app.i18n.context(), self.app.i18n.use_locale(self._lang(request)):
            text = _("Telegram does not answer just now. Please try again in a minute.")
        return web.HTTPServiceUnavailable(text=text, headers={"Retry-After": "30"})

    @staticmethod
    def _lang(request: web.Request) -> str:
        if "lang" in request.match_info:
            return request.match_info["lang"]
        wanted = request.headers.get("Accept-Language", "").lower()
        ru_first = wanted.startswith("ru") or ("ru" in wanted and "ky" not in wanted)
        return "ru" if ru_first else DEFAULT_LOCALE

    async def root(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(f"/{self._lang(request)}/events")

    async def _last_modified(self, session: AsyncSession) -> datetime:
        """The latest change, but never earlier than this hour began: due dates and events
        move from "upcoming" to "overdue" or "past" as time passes."""
        now = utcnow()
        hour = now.replace(minute=0, second=0, microsecond=0)
        found = await public.last_change(session, now)
        return max(hour, found) if found else hour

    @staticmethod
    def _not_modified(request: web.Request, etag: str, modified: datetime) -> bool:
        wanted = request.headers.get("If-None-Match")
        if wanted is not None:
            return etag in {tag.strip() for tag in wanted.split(",")} or wanted.strip() == "*"
        since = request.headers.get("If-Modified-Since")
        if since:
            try:
                return modified.replace(microsecond=0) <= parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
        return False

    @staticmethod
    def _cache_headers(response: web.StreamResponse, etag: str, modified: datetime) -> None:
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = format_datetime(modified.astimezone(UTC), usegmt=True)
        response.headers["Cache-Control"] = "public, max-age=60"

    async def render(
        self, request: web.Request, session: AsyncSession, template: str, **context: Any
    ) -> web.Response:
        lang = request.match_info["lang"]
        modified = await self._last_modified(session)
        other = "ru" if lang == "ky" else "ky"
        path = request.path_qs.replace(f"/{lang}", f"/{other}", 1)
        i18n = self.app.i18n
        with i18n.context(), i18n.use_locale(lang):
            body = self.env.get_template(template).render(
                lang=lang,
                other_lang=other,
                other_url=path,
                bot=await self.bot_link(request),
                path=request.path,
                **context,
            )
        data = body.encode()
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        if self._not_modified(request, etag, modified):
            response = web.Response(status=304)
        else:
            response = web.Response(body=data, content_type="text/html", charset="utf-8")
        self._cache_headers(response, etag, modified)
        response.headers["Content-Language"] = lang
        response.headers["Vary"] = "Accept-Encoding"
        return response

    def not_found(self) -> web.HTTPNotFound:
        return web.HTTPNotFound(text="404", content_type="text/plain")

    async def _names(self, session: AsyncSession, lang: str) -> dict[str, dict[str, str]]:
        """Names of regions, topics, event kinds, categories and countries in `lang`, in their
        order; read again after a minute (organizers rarely edit them)."""
        cached = self._reference.get(lang)
        if cached is not None and time.monotonic() - cached[0] < REFERENCE_TTL_SECONDS:
            return cached[1]
        names: dict[str, dict[str, str]] = {}
        for key, model in (
            ("region", Region),
            ("topic", Topic),
            ("kind", EventKind),
            ("category", StakeholderCategory),
            ("country", Country),
        ):
            rows: ScalarResult[Region | Topic | EventKind | StakeholderCategory | Country]
            rows = await session.scalars(select(model).order_by(model.sort_order))
            names[key] = {row.code: row.name(lang) for row in rows}
        self._reference[lang] = (time.monotonic(), names)
        return names

    # --- events --------------------------------------------------------------------------

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
        etag = '"' + hashlib.sha256(png).hexdigest()[:32] + '"'
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
        etag = '"' + hashlib.sha256(summary.file_id.encode()).hexdigest()[:32] + '"'
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

    # --- proposals -----------------------------------------------------------------------

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

    # --- agencies ------------------------------------------------------------------------

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

    # --- open data -----------------------------------------------------------------------

    async def data_page(self, request: web.Request) -> web.StreamResponse:
        async with self.app.session_factory() as session:
            return await self.render(
                request, session, "data.html", fields=public.EXPORT_FIELDS, today=utcnow()
            )

    async def _export_headers(
        self, request: web.Request, session: AsyncSession, name: str
    ) -> tuple[str, datetime, bool]:
        modified = await self._last_modified(session)
        etag = '"' + hashlib.sha256(f"{name}:{modified.isoformat()}".encode()).hexdigest()[:32]
        etag += '"'
        return etag, modified, self._not_modified(request, etag, modified)

    async def proposals_data(self, request: web.Request) -> web.StreamResponse:
        fmt = request.match_info["fmt"]
        async with self.app.session_factory() as session:
            etag, modified, unchanged = await self._export_headers(
                request, session, f"proposals.{fmt}"
            )
            response = web.StreamResponse(status=304 if unchanged else 200)
            self._cache_headers(response, etag, modified)
            if unchanged:
                return response
            response.content_type = "text/csv" if fmt == "csv" else "application/json"
            response.charset = "utf-8"
            await response.prepare(request)
            if fmt == "csv":
                await response.write("\ufeff".encode())  # spreadsheets then read it as UTF-8
                buffer = io.StringIO()
                writer = csv.DictWriter(buffer, fieldnames=public.EXPORT_FIELDS)
                writer.writeheader()
                count = 0
                async for row in public.export_rows(session):
                    writer.writerow(row)
                    count += 1
                    if count % public.EXPORT_CHUNK == 0:
                        await response.write(buffer.getvalue().encode())
                        buffer.seek(0)
                        buffer.truncate()
                await response.write(buffer.getvalue().encode())
            else:
                await response.write(b"[")
                first = True
                async for row in public.export_rows(session):
                    prefix = "\n" if first else ",\n"
                    first = False
                    await response.write((prefix + json.dumps(row, ensure_ascii=False)).encode())
                await response.write(b"\n]\n")
            await response.write_eof()
            return response

    async def agencies_data(self, request: web.Request) -> web.StreamResponse:
        fmt = request.match_info["fmt"]
        async with self.app.session_factory() as session:
            etag, modified, unchanged = await self._export_headers(
                request, session, f"agencies.{fmt}"
            )
            if unchanged:
                response = web.Response(status=304)
                self._cache_headers(response, etag, modified)
                return response
            records = [public.agency_record(row) for row in await self.agency_rows(session)]
        if fmt == "json":
            body = json.dumps(records, ensure_ascii=False, indent=1)
            response = web.Response(text=body, content_type="application/json")
        else:
            buffer = io.StringIO()
            buffer.write("\ufeff")
            writer = csv.DictWriter(buffer, fieldnames=public.AGENCY_FIELDS)
            writer.writeheader()
            writer.writerows(records)
            response = web.Response(text=buffer.getvalue(), content_type="text/csv")
        self._cache_headers(response, etag, modified)
        return response
