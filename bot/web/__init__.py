"""The public web site: read-only pages of events, proposals and agencies, and the open data,
in Kyrgyz (/ky/...) and Russian (/ru/...). Mounted on the webhook server in webhook mode
(`mount`), or served on WEB_HOST:WEB_PORT beside polling (`start_site`); on when PUBLIC_URL
is set."""

import logging
from typing import TYPE_CHECKING

from aiohttp import web

from bot.web.site import Site

if TYPE_CHECKING:
    from bot.context import App

log = logging.getLogger(__name__)

__all__ = ["Site", "mount", "start_site"]


def mount(web_app: web.Application, app: "App") -> Site:
    site = Site(app)
    site.register(web_app)
    return site


async def start_site(app: "App", host: str, port: int) -> web.AppRunner:
    """The site on its own server (polling mode); the caller cleans the runner up."""
    web_app = web.Application()
    mount(web_app, app)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log.info("The public site is served on %s:%s", host, port)
    return runner
