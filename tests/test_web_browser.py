"""The public site in a real browser: headless Chromium (Debian's package, driven by Selenium)
opens the pages at a phone's width and a desktop's, follows the links, switches the language,
uses the filters and the search in Kyrgyz and Russian, and takes a screenshot of each page.

scripts/test.sh installs Chromium (scripts/chromium.sh) and sets KENESH_CHROMIUM; without it
and without /usr/bin/chromium the test is skipped. With KENESH_SCREENSHOTS_DIR set, the
screenshots are also copied there (that is how docs/screenshots/ is made)."""

import asyncio
import os
import shutil
from pathlib import Path

import pytest

from tests.web_data import Consultation
from tests.web_site import BOT_LINK, RunningSite, consultation, site

__all__ = ["consultation", "site"]

CHROMIUM = os.environ.get("KENESH_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("KENESH_CHROMEDRIVER", "/usr/bin/chromedriver")
WAIT = 60  # seconds; the machine may be busy
PHONE, DESKTOP = (390, 844), (1280, 900)

pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists())
    and "KENESH_CHROMIUM" not in os.environ,
    reason="Chromium is not installed (scripts/chromium.sh installs it)",
)


def _browser(profile: Path):  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--user-data-dir={profile}",
        f"--window-size={PHONE[0]},{PHONE[1]}",
    ):
        options.add_argument(flag)
    # A viewer abroad: the pages add their local time to Bishkek's.
    service = Service(CHROMEDRIVER, env={**os.environ, "TZ": "Europe/Moscow"})
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(WAIT)
    return driver


class Journey:
    """What a visitor does, step by step, with explicit waits on what each step shows."""

    def __init__(self, driver, base: str, shots: Path) -> None:  # type: ignore[no-untyped-def]
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver, self.base, self.shots = driver, base, shots
        self.wait = WebDriverWait(driver, WAIT)

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)
        self.ready()

    def ready(self) -> None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec

        self.wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
        self.wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "footer")))

    def find(self, css: str):  # type: ignore[no-untyped-def]
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec

        return self.wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, css)))

    def click(self, css: str) -> None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec

        old = self.driver.find_element(By.TAG_NAME, "html")
        self.wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, css))).click()
        self.wait.until(lambda _: _detached(old))
        self.ready()

    def text(self) -> str:
        return str(self.driver.find_element("tag name", "body").text)

    def shot(self, name: str, size: tuple[int, int]) -> Path:
        """The whole page at this viewport width (a phone's is emulated as a phone)."""
        metrics = {"width": size[0], "height": size[1], "deviceScaleFactor": 1}
        metrics["mobile"] = size[0] < 600
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        metrics["height"] = max(size[1], min(int(height), 2400))
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        path = self.shots / f"{name}.png"
        assert self.driver.save_screenshot(str(path)), name
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        assert path.stat().st_size > 5000, name  # a page, not a blank
        return path


def _drive(base: str, c: Consultation, shots: Path, profile: Path) -> None:
    from selenium.webdriver.support.ui import Select

    driver = _browser(profile)
    try:
        j = Journey(driver, base, shots)
        # Events, on a phone, in Kyrgyz: the upcoming one opens with its link and QR code.
        j.open("/ky/events")
        assert driver.find_element("tag name", "html").get_attribute("lang") == "ky"
        assert "Алдыдагы иш-чаралар" in j.text()
        j.shot("events-phone", PHONE)
        j.click(f'a[href="/ky/events/{c.upcoming_event}"]')
        register = j.find("#register")
        assert register.get_attribute("href") == f"{BOT_LINK}?start=ev_{c.upcoming_event}"
        qr = j.find("img.qr")
        j.wait.until(lambda d: d.execute_script("return arguments[0].naturalWidth", qr) > 0)
        local = j.find(".local-time")
        # Moscow is three hours behind Bishkek.
        moscow = driver.execute_script(
            "var d = new Date(arguments[0]); return [d.getHours(), d.getTimezoneOffset()]",
            j.find("time[data-local]").get_attribute("datetime"),
        )
        assert moscow[1] == -180, moscow
        assert local.text.startswith("Сиздин жергиликтүү убакыт:"), local.text
        assert f" {moscow[0]:02d}:" in local.text, local.text
        j.shot("event-phone", PHONE)
        # The language switch keeps the page.
        j.click("#lang-switch")
        assert driver.current_url.endswith(f"/ru/events/{c.upcoming_event}")
        assert driver.find_element("tag name", "html").get_attribute("lang") == "ru"
        assert "Зарегистрироваться в Telegram" in j.text()
        # A past event: its summary and participation figures.
        j.open(f"/ru/events/{c.past_event}")
        assert "На форуме принято 4 предложения." in j.find("#summary").text
        assert "Число участников: 4" in j.find("#participation").text
        j.shot("event-past-desktop", DESKTOP)

        # Proposals: the search in Russian, from the form.
        j.click('nav a[href="/ru/proposals"]')
        j.find("#q").send_keys("КОНСУЛЬСТВО")
        j.click("#show")
        assert f"№ {c.russian}" in j.find("#results").text
        assert "Екатеринбурге" in j.text()
        # ... and in Kyrgyz, with a region and a topic filter.
        j.open("/ky/proposals")
        j.shot("proposals-phone", PHONE)
        j.find("#q").send_keys("сугат")
        j.click("#show")
        assert f"№ {c.named}" in j.find("#results").text
        j.open("/ky/proposals")
        Select(j.find("#region")).select_by_value("naryn")
        Select(j.find("#topic")).select_by_value("transport")
        j.click("#show")
        assert f"№ {c.overdue}" in j.find("#results").text
        assert f"№ {c.named}" not in j.find("#results").text
        j.open("/ky/proposals")
        Select(j.find("#sort")).select_by_value("support")
        j.click("#show")
        first = j.find("#results article a")
        assert first.text == f"№ {c.named}"
        j.shot("proposals-desktop", DESKTOP)
        # A proposal late at its agency: the overdue days in red; then the agency.
        j.open("/ky/proposals?region=naryn")
        j.click(f'#results a[href="/ky/proposals/{c.overdue}"]')
        overdue = j.find("#overdue")
        assert "мөөнөтү" in overdue.text
        assert overdue.value_of_css_property("color") == "rgba(192, 24, 42, 1)"
        j.shot("proposal-phone", PHONE)
        j.click(f'a[href="/ky/agencies/{c.agency_code}"]')
        assert "Суу чарба министрлиги" in j.find("h1").text
        j.shot("agency-desktop", DESKTOP)
        # The agencies' table, and back into an agency from it.
        j.click('nav a[href="/ky/agencies"]')
        table = j.find("#agencies")
        assert "Суу чарба министрлиги" in table.text
        j.shot("agencies-desktop", DESKTOP)
        j.shot("agencies-phone", PHONE)
        j.click(f'#agencies a[href="/ky/agencies/{c.agency_code}"]')
        assert f"№ {c.overdue}" in j.text()
        # Drafts: from the menu to one whose discussion is over, with its table of comments.
        assert c.drafts is not None
        j.click('nav a[href="/ky/drafts"]')
        j.shot("drafts-phone", PHONE)
        j.click(f'a[href="/ky/drafts/{c.drafts.closed}"]')
        assert c.named_author in j.find("#comments").text
        j.shot("draft-desktop", DESKTOP)
        # The open data page links to the files.
        j.click('nav a[href="/ky/data"]')
        assert j.find("#proposals-csv").get_attribute("href").endswith("/data/proposals.csv")
        j.shot("data-desktop", DESKTOP)
        j.open("/ru/events")
        j.shot("events-desktop", DESKTOP)
        j.open(f"/ru/proposals/{c.answered}")
        assert "Автор доволен ответом." in j.find("#satisfaction").text
        j.shot("proposal-desktop", DESKTOP)
    finally:
        driver.quit()
    copy_to = os.environ.get("KENESH_SCREENSHOTS_DIR")
    if copy_to:
        Path(copy_to).mkdir(parents=True, exist_ok=True)
        for shot in shots.glob("*.png"):
            shutil.copy(shot, Path(copy_to) / shot.name)


async def test_a_visitor_browses_the_site_on_a_phone_and_a_desktop(
    site: RunningSite, consultation: Consultation, tmp_path: Path
) -> None:
    shots = tmp_path / "screenshots"
    shots.mkdir()
    # Selenium blocks, so it runs in a thread while this loop serves the site.
    await asyncio.wait_for(
        asyncio.to_thread(_drive, site.url, consultation, shots, tmp_path / "profile"),
        timeout=600,
    )


def _detached(element) -> bool:  # type: ignore[no-untyped-def]
    """The page the element belonged to has gone. While the old document is being torn down
    Chrome may answer "Node with given id does not belong to the document" instead of a
    stale element (seen on a loaded machine): gone as well."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error):
            return True
        raise
    return False
