"""The site's drafts under public discussion: the list, a draft's outline with the comments on
each clause and, once the discussion is over, the table of comments (and its DOCX)."""

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from aiogram.utils.i18n import gettext as _
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.notices.drafts import decision_name, last_day, table_labels
from bot.services import public
from bot.services.drafts import table
from bot.web.base import SiteBase
from db.models import utcnow


class DraftPages(SiteBase):
    def _last_day(self, lang: str) -> Callable[[datetime], str]:
        return lambda closes_at: last_day(closes_at, lang, self.tz)

    async def drafts_page(self, request: web.Request) -> web.StreamResponse:
        async with self.app.session_factory() as session:
            return await self.render(
                request,
                session,
                "drafts.html",
                items=await public.published_drafts(session),
                now=utcnow(),
                over=public.discussion_over,
                last_day=self._last_day(request.match_info["lang"]),
            )

    async def draft_page(self, request: web.Request) -> web.StreamResponse:
        lang = request.match_info["lang"]
        async with self.app.session_factory() as session:
            item = await public.public_draft(session, int(request.match_info["draft_id"]))
            if item is None:
                raise self.not_found()
            over = public.discussion_over(item.draft, utcnow())
            rows = await self._comment_rows(session, item.draft.id, lang) if over else []
            return await self.render(
                request,
                session,
                "draft.html",
                item=item,
                over=over,
                clauses=await public.draft_clauses(session, item.draft.id),
                rows=rows,
                comment_link=f"{await self.bot_link(request)}?start=dr_{item.draft.id}",
                decision_name=decision_name,
                last_day=self._last_day(lang),
            )

    async def _comment_rows(
        self, session: AsyncSession, draft_id: int, lang: str
    ) -> list[table.TableRow]:
        with self.app.i18n.context(), self.app.i18n.use_locale(lang):
            untitled = _("Text without a heading")
        return await public.comment_table(session, draft_id, lang, untitled)

    async def draft_table(self, request: web.Request) -> web.StreamResponse:
        """The table of comments as DOCX, in the language asked (?lang=), after the period."""
        wanted = request.query.get("lang", "")
        lang = wanted if wanted in ("ky", "ru") else self._lang(request)
        async with self.app.session_factory() as session:
            item = await public.public_draft(session, int(request.match_info["draft_id"]))
            if item is None or not public.discussion_over(item.draft, utcnow()):
                raise self.not_found()
            rows = await self._comment_rows(session, item.draft.id, lang)
        with self.app.i18n.context(), self.app.i18n.use_locale(lang):
            labels = table_labels(item.draft.title(lang))
            decisions = {code: decision_name(code) for code in {row.decision for row in rows}}
        labels = replace(labels, decision_name=decisions.__getitem__)
        data = await asyncio.to_thread(table.docx_bytes, rows, labels)
        etag = self.etag(data)
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        name = f"draft-{item.draft.id}-comments-{lang}.docx"
        return web.Response(
            body=data,
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            headers={
                "ETag": etag,
                "Cache-Control": "public, max-age=60",
                "Content-Disposition": f'attachment; filename="{name}"',
            },
        )
