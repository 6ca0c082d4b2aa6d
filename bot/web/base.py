"""What every page of the site shares: the templates, the bot's link, rendering with an ETag
and Last-Modified (304 when unchanged), and the reference names cached for a minute."""

import asyncio
import hashlib
import logging
import time
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiogram.exceptions import TelegramAPIError
from aiogram.utils.i18n import gettext as _
from aiohttp import web
from babel.numbers import format_percent
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import ScalarResult, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import DEFAULT_LOCALE, format_day, format_when
from bot.notices.agencies import OUTCOME_NAMES
from bot.notices.proposals import status_name
from bot.services import public
from db.models import Country, EventKind, Region, StakeholderCategory, Topic, utcnow

if TYPE_CHECKING:
    from bot.context import App

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
REFERENCE_TTL_SECONDS = 60.0


class SiteBase:
    """The state the pages share (the app, templates, caches) and the helpers they render with."""

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
    def etag(data: bytes) -> str:
        """A strong ETag of a response's body (or of what identifies it)."""
        return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'

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
        etag = self.etag(data)
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
