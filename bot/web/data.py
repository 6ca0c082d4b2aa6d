"""The site's open data: the page that describes it and the proposals' and agencies' files
(CSV or JSON)."""

import csv
import io
import json
from datetime import datetime

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import public
from bot.web.agencies import AgencyPages
from db.models import utcnow


class DataPages(AgencyPages):
    async def data_page(self, request: web.Request) -> web.StreamResponse:
        async with self.app.session_factory() as session:
            return await self.render(
                request, session, "data.html", fields=public.EXPORT_FIELDS, today=utcnow()
            )

    async def _export_headers(
        self, request: web.Request, session: AsyncSession, name: str
    ) -> tuple[str, datetime, bool]:
        modified = await self._last_modified(session)
        etag = self.etag(f"{name}:{modified.isoformat()}".encode())
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
