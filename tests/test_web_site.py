"""The public site over HTTP: what each page shows from a consultation the services wrote,
that nothing private appears on any page or in any export, language, paging, search and
filters, and caching (ETag / Last-Modified and 304)."""

import csv
import io
import json
import re
import socket
from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlparse

import aiohttp
from docx import Document
from multidict import CIMultiDict

from bot.services import agencies, public
from db.models import Agency, utcnow
from tests.db_fixtures import session_on
from tests.fake_bot_api import FakeTelegramServer
from tests.web_data import Consultation
from tests.web_site import (
    BOT_LINK,
    OUTCOME_FILE,
    RunningSite,
    consultation,
    running_site,
    site,
)

__all__ = ["consultation", "site"]


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


async def get(url: str, **headers: str) -> tuple[int, str, CIMultiDict[str]]:
    async with aiohttp.ClientSession() as http, http.get(url, headers=headers) as response:
        body = await response.read()
        return response.status, body.decode("utf-8", "replace"), response.headers.copy()


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


async def test_nothing_private_on_any_page_or_export(
    site: RunningSite, consultation: Consultation
) -> None:
    """Every page reachable from the front pages in both languages, every file they link to,
    and the open data: no phone, Telegram id, anonymous author's name, unpublished proposal,
    draft event, typed-in country, organisation or invitation token."""
    seen: set[str] = set()
    queue = [f"{site.url}/ky/events", f"{site.url}/ru/events"]
    queue += [
        f"{site.url}/{lang}/proposals/{pid}"
        for lang in ("ky", "ru")
        for pid in (consultation.named, consultation.anonymous, consultation.overdue)
    ]
    pages = 0
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, body, _headers = await get(url)
        assert status == 200, url
        pages += 1
        for secret in consultation.secrets:
            assert secret not in body, f"{secret!r} on {url}"
        if url.endswith((".png", ".csv", ".json", "summary-file")) or ".docx" in url:
            continue
        links = Links()
        links.feed(body)
        for link in links.links:
            target = urljoin(url, link)
            if urlparse(target).netloc == urlparse(site.url).netloc and "after=" not in target:
                queue.append(target.split("#")[0])
    assert pages > 20  # events, proposals, agencies, drafts, data, exports, in both languages
    assert f"{site.url}/ky/drafts" in seen
    for pid in consultation.unpublished:
        for lang in ("ky", "ru"):
            status, _body, _headers = await get(f"{site.url}/{lang}/proposals/{pid}")
            assert status == 404
    status, body, _ = await get(f"{site.url}/data/proposals.json")
    ids = {row["id"] for row in json.loads(body)}
    assert ids == {
        consultation.named,
        consultation.anonymous,
        consultation.russian,
        consultation.overdue,
    }
    names = {row["id"]: row["author_name"] for row in json.loads(body)}
    assert names[consultation.named] == consultation.named_author
    assert names[consultation.anonymous] is None


async def test_a_proposal_shows_its_agency_due_date_answer_and_history(
    site: RunningSite, consultation: Consultation
) -> None:
    _, overdue, _ = await get(f"{site.url}/ru/proposals/{consultation.overdue}")
    assert 'class="overdue"' in overdue
    assert re.search(r"просрочено на \d+ д", overdue)
    assert "Министерство водного хозяйства" in overdue
    # "Support it in Telegram" opens this proposal's card in the bot (/start p_<id>).
    assert re.search(
        rf'id="support" href="https://t\.me/\w+\?start=p_{consultation.overdue}"', overdue
    )
    _, answered, _ = await get(f"{site.url}/ky/proposals/{consultation.answered}")
    text = visible_text(answered)
    assert "Арыктар тазаланат, акча бөлүндү." in text
    assert consultation.named_author in text
    assert 'id="satisfaction"' in answered
    assert 'lang="ky"' in answered
    assert answered.count("<li>") >= 4  # submitted, published, forwarded, answered, accepted
    _, anonymous, _ = await get(f"{site.url}/ky/proposals/{consultation.anonymous}")
    assert "Жашыруун Автор" not in anonymous


async def test_search_in_both_languages_filters_and_keyset_pages(
    site: RunningSite, consultation: Consultation
) -> None:
    def ids(body: str) -> list[int]:
        return [int(n) for n in re.findall(r'href="/\w\w/proposals/(\d+)">№', body)]

    _, body, _ = await get(f"{site.url}/ky/proposals?q=сугат")
    assert ids(body) == [consultation.named]
    _, body, _ = await get(f"{site.url}/ru/proposals?q=КОНСУЛЬСТВО")
    assert ids(body) == [consultation.russian]
    _, body, _ = await get(f"{site.url}/ru/proposals?q=КУПУЯ")
    assert ids(body) == [] and 'id="nothing"' in body
    _, body, _ = await get(f"{site.url}/ky/proposals?region=batken")
    assert ids(body) == [consultation.named]
    _, body, _ = await get(f"{site.url}/ky/proposals?topic=transport&sort=support")
    assert ids(body) == [consultation.overdue]
    _, body, _ = await get(f"{site.url}/ky/proposals?sort=support")
    assert ids(body)[0] == consultation.named  # two supporters, the others none or one
    # Keyset pages: two at a time through all four, each once, newest first.
    seen: list[int] = []
    async with session_on(site.app.settings.database_url) as session:
        cursor = None
        while True:
            page = await public.listing(session, after=cursor, limit=2)
            seen += [p.id for p in page.items]
            if page.next is None:
                break
            cursor = page.next
    assert seen == sorted(
        [consultation.named, consultation.anonymous, consultation.russian, consultation.overdue],
        reverse=True,
    )


async def test_the_agencies_table_agrees_with_the_bots_figures(
    site: RunningSite, consultation: Consultation
) -> None:
    _, body, _ = await get(f"{site.url}/ru/agencies")
    assert f'href="/ru/agencies/{consultation.agency_code}"' in body
    status, page, _ = await get(f"{site.url}/ru/agencies/{consultation.agency_code}")
    assert status == 200 and f"/ru/proposals/{consultation.overdue}" in page
    now = utcnow()
    async with session_on(site.app.settings.database_url) as session:
        rows = await public.agency_table(session, now)
        agency = next(r.agency for r in rows if r.agency.code == consultation.agency_code)
        figures = await agencies.figures(session, agency.id, now)
        assert isinstance(agency, Agency)
    row = next(r for r in rows if r.agency.code == consultation.agency_code)
    assert (row.forwarded, row.answered, row.open, row.overdue) == (
        figures.forwarded,
        figures.answered,
        figures.open,
        figures.overdue,
    )
    assert (row.median_days, row.satisfied_share) == (figures.median_days, figures.satisfied_share)
    assert (row.forwarded, row.answered, row.answered_on_time, row.overdue) == (2, 1, 1, 1)
    _, data, _ = await get(f"{site.url}/data/agencies.csv")
    record = next(
        r
        for r in csv.DictReader(io.StringIO(data.lstrip("\ufeff")))
        if r["code"] == consultation.agency_code
    )
    assert record["overdue_now"] == "1" and record["satisfied_share"] == "1.0"


async def test_events_show_times_registration_link_summary_and_figures(
    site: RunningSite, consultation: Consultation
) -> None:
    _, upcoming, _ = await get(f"{site.url}/ru/events/{consultation.upcoming_event}")
    assert f"{BOT_LINK}?start=ev_{consultation.upcoming_event}" in upcoming
    assert "Диалог о воде" in upcoming and "data-local=" in upcoming
    status, _png, headers = await get(f"{site.url}/events/{consultation.upcoming_event}/qr.png")
    assert status == 200 and headers["Content-Type"] == "image/png"
    _, past, _ = await get(f"{site.url}/ky/events/{consultation.past_event}")
    text = visible_text(past)
    assert "Форумда 4 сунуш кабыл алынды." in text
    assert "4" in text and "Россия" in text  # the country picked from the list
    link = f'href="/events/{consultation.past_event}/summary-file"'
    assert link in past
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{site.url}/events/{consultation.past_event}/summary-file") as response,
    ):
        assert response.status == 200
        assert await response.read() == OUTCOME_FILE[2]
        assert quote(OUTCOME_FILE[1]) in response.headers["Content-Disposition"]
    _, listing, _ = await get(f"{site.url}/ky/events")
    assert "КУПУЯ" not in listing and "Суу боюнча диалог" in listing


async def test_drafts_show_published_outlines_and_after_the_period_the_table(
    site: RunningSite, consultation: Consultation
) -> None:
    d = consultation.drafts
    assert d is not None
    _, listing, _ = await get(f"{site.url}/ru/drafts")
    assert f'href="/ru/drafts/{d.closed}"' in listing and f'href="/ru/drafts/{d.open}"' in listing
    assert "Региональная политика" in listing and "Министерство водного хозяйства" in listing
    assert "КУПУЯ" not in listing and 'href="/ru/drafts" aria-current="page"' in listing
    for lang in ("ky", "ru"):
        status, _body, _ = await get(f"{site.url}/{lang}/drafts/{d.pending}")
        assert status == 404
    # Still open: the outline with each clause's comments, a link to comment, no table yet.
    _, still_open, _ = await get(f"{site.url}/ky/drafts/{d.open}")
    assert re.findall(r'data-comments="(\d+)"', still_open) == ["1", "0", "0"]
    assert f"{BOT_LINK}?start=dr_{d.open}" in still_open and 'id="comments"' not in still_open
    assert "Суу кодекси" in still_open and "1. Жалпы жоболор" in still_open
    status, _body, _ = await get(f"{site.url}/drafts/{d.open}/table.docx")
    assert status == 404
    # Over: the table, the named author's name, never the anonymous ones' names or countries.
    _, closed, _ = await get(f"{site.url}/ky/drafts/{d.closed}")
    assert re.findall(r'data-comments="(\d+)"', closed) == ["1", "1", "1"]
    text = visible_text(closed)
    for shown in (d.named_comment, d.anonymous_comment, d.typed_comment, d.decision_reason):
        assert shown in text
    assert consultation.named_author in text and "Кабыл алынды" in text
    assert "Чет өлкөдө" in text  # the typed-in country is not shown: the person is abroad
    for secret in consultation.secrets:
        assert secret not in closed
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{site.url}/drafts/{d.closed}/table.docx?lang=ru") as response,
    ):
        assert response.status == 200
        assert response.content_type.endswith("wordprocessingml.document")
        document = Document(io.BytesIO(await response.read()))
    cells = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert consultation.named_author in cells and "Принято" in cells
    for secret in consultation.secrets:
        assert secret not in cells


async def test_pages_answer_304_when_unchanged(
    site: RunningSite, consultation: Consultation
) -> None:
    for path in ("/ky/proposals?region=batken", "/ru/agencies", "/data/proposals.csv"):
        status, _body, headers = await get(site.url + path)
        assert status == 200 and headers["ETag"] and headers["Last-Modified"]
        status, body, _ = await get(site.url + path, **{"If-None-Match": headers["ETag"]})
        assert status == 304 and body == ""
        status, _body, _ = await get(
            site.url + path, **{"If-Modified-Since": headers["Last-Modified"]}
        )
        assert status == 304
    status, _body, _ = await get(f"{site.url}/ky/proposals/999999")
    assert status == 404
    status, body, headers = await get(f"{site.url}/", **{"Accept-Language": "ru-RU,ru;q=0.9"})
    assert status == 200 and 'lang="ru"' in body


async def test_while_telegram_does_not_answer_pages_say_so_and_then_recover(
    site: RunningSite, consultation: Consultation, telegram: FakeTelegramServer, database_url: str
) -> None:
    """The site asks Telegram for the bot's name (getMe, for the links) and for the outcome
    documents (getFile): a 429, a 403 or a network error gives a short 503 in the page's
    language, and the next request works."""
    telegram.fail_next("getMe", status=429, retry_after=1)
    status, body, headers = await get(f"{site.url}/ky/events")
    assert status == 503 and "Telegram азыр жооп бербей жатат" in body
    assert headers["Retry-After"] == "30"
    status, body, _ = await get(f"{site.url}/ky/events")
    assert status == 200 and BOT_LINK in body
    document = f"{site.url}/events/{consultation.past_event}/summary-file"
    telegram.fail_next("getFile", status=403, retry_after=None, description="Forbidden")
    status, body, _ = await get(document, **{"Accept-Language": "ru"})
    assert status == 503 and "Telegram сейчас не отвечает" in body
    status, _body, _ = await get(document)
    assert status == 200
    # Telegram unreachable: nothing listens on the API's port.
    async with running_site(database_url, telegram, api_url="http://127.0.0.1:9") as offline:
        status, body, _ = await get(f"{offline.url}/ru/proposals")
        assert status == 503 and "Telegram сейчас не отвечает" in body


async def test_polling_mode_serves_the_site_on_its_own_port_and_webhook_mode_only_when_asked(
    database_url: str, telegram: FakeTelegramServer
) -> None:
    from aiohttp import web

    from bot.app import build_app
    from bot.web import start_site
    from bot.webhook import create_web_app
    from tests.harness import make_settings

    app = await build_app(make_settings(database_url, telegram.base_url))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    runner = await start_site(app, "127.0.0.1", port)
    try:
        status, body, _ = await get(f"http://127.0.0.1:{port}/ru/events")
        assert status == 200 and 'lang="ru"' in body
    finally:
        await runner.cleanup()
    # Without PUBLIC_URL the webhook server has no site.
    quiet = web.AppRunner(create_web_app(app))
    await quiet.setup()
    site = web.TCPSite(quiet, "127.0.0.1", 0)
    await site.start()
    try:
        bound = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        status, _body, _ = await get(f"http://127.0.0.1:{bound}/ru/events")
        assert status == 404
    finally:
        await quiet.cleanup()
        await app.close()
