"""The site in a real browser (Debian's Chromium) and through the Nu HTML checker.

Skipped, with the reason, when Chromium, ChromeDriver, Java or the npm tools are missing;
.ci/run installs them all, so in CI nothing here is skipped."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import browser
from helpers import ROOT, SITE_URL, page_addresses, require

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
pytestmark = pytest.mark.browser


BROWSER_READY = Path(browser.CHROMIUM).exists() and Path(browser.CHROMEDRIVER).exists() and browser.AXE.exists()


@pytest.fixture(scope="module")
def served(site):
    """The built site at http://127.0.0.1:<port>/trousse/, the path of the test SITE_URL."""
    require(BROWSER_READY, "chromium and chromium-driver (Debian) and axe-core (npm ci)")
    httpd, base = browser.serve(site, urlsplit(SITE_URL).path)
    yield base
    httpd.shutdown()


@pytest.fixture(scope="module")
def driver():
    require(BROWSER_READY, "chromium and chromium-driver (Debian) and axe-core (npm ci)")
    chrome = browser.chrome()
    chrome.set_script_timeout(60)
    yield chrome
    chrome.quit()


def test_every_page_passes_axe_and_loads_nothing_from_elsewhere(site, served, driver):
    """WCAG 2.0/2.1 A and AA rules of axe-core: zero violations; zero failed requests; zero
    requests to another host. Every page of both languages."""
    problems = []
    addresses = page_addresses(site)
    assert len(addresses) > 35
    for address in addresses:
        driver.get(served + address)
        time.sleep(0.2)  # let the theme's script make its requests
        for violation in browser.axe_violations(driver):
            problems.append(f"/{address}: axe {violation['id']} ({violation['impact']}): {violation['help']} at {violation['nodes']}")
        for request in browser.requests_made(driver):
            if not request["url"].startswith(served.rsplit("/", 2)[0]):
                problems.append(f"/{address}: request to another host: {request['url']}")
            elif request["error"] or (request["status"] or 0) >= 400:
                problems.append(f"/{address}: failed request {request['url']}: {request['status'] or request['error']}")
    assert not problems, "\n".join(problems)


def test_the_language_switcher_keeps_the_page_and_heading(served, driver):
    driver.get(served + "charlevoix/#structure")
    driver.execute_script("document.querySelector('a.md-select__link[hreflang=en]').click()")
    for _ in range(50):
        if "/en/" in driver.current_url:
            break
        time.sleep(0.1)
    assert driver.current_url == served + "en/charlevoix/#structure"
    assert driver.find_element("css selector", "h2#structure").text.startswith("How the process")
    driver.execute_script("document.querySelector('a.md-select__link[hreflang=fr]').click()")
    for _ in range(50):
        if "/en/" not in driver.current_url:
            break
        time.sleep(0.1)
    assert driver.current_url == served + "charlevoix/#structure"


def search(driver, url: str, words: str) -> list[str]:
    driver.get(url)
    driver.execute_script("document.querySelector('label[for=__search]').click()")
    box = driver.find_element("css selector", "input.md-search__input")
    box.send_keys(words)
    for _ in range(100):
        links = [a.get_attribute("href") for a in driver.find_elements("css selector", "a.md-search-result__link")]
        if links:
            return links
        time.sleep(0.1)
    return []


@pytest.mark.parametrize("address, words, lang", [("enjeux/", "gouvernance", "fr"), ("en/enjeux/", "governance", "en")])
def test_search_returns_pages_in_the_readers_language(served, driver, address, words, lang):
    results = search(driver, served + address, words)
    assert len(results) >= 3, f"no results for {words!r}"
    for link in results:
        assert link.startswith(served)
        assert link.startswith(served + "en/") == (lang == "en"), link


def test_printing_a_worksheet_page_hides_the_navigation(served, driver):
    driver.get(served + "fiches/echange-1/")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"):
            element = driver.find_element("css selector", selector)
            assert not element.is_displayed(), f"{selector} shows when printing"
        assert driver.find_element("css selector", "article h1").is_displayed()
        assert driver.execute_script("return getComputedStyle(document.querySelector('.md-typeset')).fontSize") == "14.6667px"
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_the_whole_site_is_valid_html(site):
    require(bool(shutil.which("java")) and VNU.exists(), "Java and vnu-jar (npm ci)")
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", str(site)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-4000:]


def test_the_offline_kit_searches_from_a_folder(site, driver, tmp_path):
    """Unzipped and opened from file://, search runs (without a server or a CDN) and its
    first result opens a page in the reader's language."""
    import zipfile

    with zipfile.ZipFile(site / "trousse-hors-ligne.zip") as archive:
        archive.extractall(tmp_path)
    (kit,) = tmp_path.iterdir()
    for prefix, words in (("", "Charlevoix"), ("en/", "Charlevoix")):
        results = search(driver, (kit / prefix / "enjeux" / "index.html").as_uri(), words)
        assert results, f"offline search found nothing ({prefix or 'fr'})"
        for link in results:
            assert link.startswith((kit / prefix).as_uri())
            assert link.startswith((kit / "en").as_uri()) == (prefix == "en/"), link
        driver.get(results[0])
        assert driver.find_element("css selector", "article h1").text.startswith(("Agir ensemble", "Acting together"))
