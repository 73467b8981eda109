"""The site in a real browser (Debian's Chromium) and through the Nu HTML checker.

Skipped, with the reason, when Chromium, ChromeDriver, Java or the npm tools are missing;
.ci/run installs them all, so in CI nothing here is skipped."""

from __future__ import annotations

import json
import shutil
import subprocess
import time

import pytest

import browser
from helpers import ROOT, page_addresses, require

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
pytestmark = pytest.mark.browser


WIDE = ("const w = document.documentElement.clientWidth;"
        "const out = [...document.querySelectorAll('article table, article img, article svg, article pre, article form')]"
        ".filter(e => e.getBoundingClientRect().right > w + 1).map(e => e.tagName + '.' + e.className);"
        "if (document.documentElement.scrollWidth > w + 1) out.push('page ' + document.documentElement.scrollWidth);"
        "return out;")


@pytest.fixture(scope="module")
def every_page(site, served, driver) -> dict[str, dict]:
    """Every page of both languages, loaded once (each load costs about half a second): what axe finds
    at 1280 px, the requests the page made meanwhile, and what runs off the screen once the same
    page is seen at 390 px."""
    seen = {}
    for address in page_addresses(site):
        driver.get(served + address)
        violations = browser.axe_violations(driver)  # meanwhile, the theme's scripts make their requests
        requests = browser.requests_made(driver)
        browser.viewport(driver, 390, 844)
        assert driver.execute_script("return document.documentElement.clientWidth") == 390, "not seen at a phone's width"
        seen[address] = {"axe": violations, "requests": requests, "wide": driver.execute_script(WIDE)}
        browser.reset_viewport(driver)
    assert len(seen) > 35
    return seen


def test_every_page_passes_axe_and_loads_nothing_from_elsewhere(every_page, served):
    """WCAG 2.0, 2.1 and 2.2 A and AA rules of axe-core: zero violations; zero failed requests;
    zero requests to another host. Every page of both languages."""
    problems = []
    for address, seen in every_page.items():
        for violation in seen["axe"]:
            problems.append(f"/{address}: axe {violation['id']} ({violation['impact']}): {violation['help']} at {violation['nodes']}")
        for request in seen["requests"]:
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
    """The addresses of the results for `words`, typed at once (one query, as when pasted: letter by
    letter, each letter's results replace the last ones while they are read)."""
    driver.get(url)
    driver.execute_script("document.querySelector('label[for=__search]').click()")
    driver.execute_script("const box = document.querySelector('input.md-search__input'); box.focus();"
                          "box.value = arguments[0]; box.dispatchEvent(new KeyboardEvent('keyup'));", words)
    return browser.wait_until(lambda: driver.execute_script(
        "return [...document.querySelectorAll('a.md-search-result__link')].map((a) => a.href)"), 10) or []


@pytest.mark.parametrize("address, words, lang, least", [
    ("enjeux/", "gouvernance", "fr", 3), ("en/enjeux/", "governance", "en", 3),
    # words written after an elision (d’hébergement, l’intervention, l’information) are found too
    ("", "hébergement", "fr", 2), ("", "intervention", "fr", 2), ("", "information", "fr", 2),
    ("en/", "organization", "en", 3), ("en/", "workers", "en", 2),
])
def test_search_returns_pages_in_the_readers_language(served, driver, address, words, lang, least):
    results = search(driver, served + address, words)
    assert len(results) >= least, f"{len(results)} results for {words!r}"
    for link in results:
        assert link.startswith(served)
        assert link.startswith(served + "en/") == (lang == "en"), link


# what search needs only once a reader searches: the whole index, Material's worker, its stemmers
SEARCH_FILES = ("search/search_index.full.json", "/workers/search.", "/lunr/")
FIRST_PAGE_BUDGET_KIB = 100  # everything the home page loads at once, gzip-compressed as hosts send it


def gzip_kib(site, served: str, urls: list[str]) -> float:
    """KiB the files at these addresses weigh compressed as a host sends them (text gzipped, level 6)."""
    import gzip

    total = 0
    for url in set(urls):
        path = url.split("?")[0].split("#")[0][len(served):]
        file = site / (path + "index.html" if path == "" or path.endswith("/") else path)
        data = file.read_bytes()
        total += len(gzip.compress(data, 6)) if file.suffix in (".html", ".css", ".js", ".json", ".svg") else len(data)
    return total / 1024


def test_the_first_page_is_light_and_search_loads_when_a_reader_searches(site, served, driver):
    """The theme starts search on every page; the kit's worker (named in the theme's config) loads
    the whole index, Material's worker and its stemmers at the first search (requests made by a
    worker are not in the page's log: the results, which only the whole index holds, show them).
    Everything the home page loads at once, the theme's own requests included, weighs at most
    100 KiB compressed."""
    for address, words in (("", "gouvernance"), ("en/charlevoix/", "governance")):
        driver.get("about:blank")
        browser.requests_made(driver)  # forget earlier requests
        driver.get(served + address)
        loaded = []

        def index_requested():
            loaded.extend(r["url"] for r in browser.requests_made(driver))
            return any(u.endswith("/search/search_index.json") for u in loaded)

        assert browser.wait_until(index_requested, 15), f"/{address}: the theme did not start search: {loaded}"
        assert any("/workers/kit-search.js" in u for u in loaded), loaded
        assert not [u for u in loaded if any(f in u for f in SEARCH_FILES)], f"/{address}: {loaded}"
        if address == "":
            weight = gzip_kib(site, served, [u for u in loaded if u.startswith(served)])
            assert weight <= FIRST_PAGE_BUDGET_KIB, f"the first page weighs {weight:.1f} KiB compressed"
        box = driver.find_element("css selector", "input.md-search__input")  # a reader clicks in the search box
        box.click()
        box.send_keys(words)
        assert browser.wait_until(lambda: driver.find_elements("css selector", "a.md-search-result__link"), 15), "no results once opened"
    for prefix in ("", "en/"):  # so the results above came from the whole index, loaded at the first search
        assert json.loads((site / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"] == []


KIT_SCRIPTS = ["*/assets/javascripts/kit*.js", "*/assets/javascripts/workers/kit-*.js", "*/vendor/*"]


def test_the_kits_scripts_add_no_global_name_but_kit(served, driver):
    """Each page's globals with the kit's scripts, against the same page with them blocked: the
    kit's scripts add at most one name, `kit` (the theme's own globals are on both sides)."""
    def globals_of(address: str) -> set[str]:
        driver.get(served + address)
        browser.wait_until(lambda: driver.execute_script("return document.readyState") == "complete")
        return set(driver.execute_script("return Object.keys(window)"))

    driver.execute_cdp_cmd("Network.enable", {})
    for address in ("", "fiches/echange-1/", "fiches/echange-1/projection/", "deroulement/",
                    "deroulement/projection/", "synthese/"):
        try:
            driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": KIT_SCRIPTS})
            theme = globals_of(address)
        finally:
            driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
        added = globals_of(address) - theme
        assert added <= {"kit"}, f"/{address}: {sorted(added)}"
    browser.requests_made(driver)  # forget the blocked requests


def test_no_page_is_wider_than_a_phone(every_page):
    """At 390 px wide, nothing runs off the screen: tables become cards, the diagram fits."""
    problems = [f"/{address}: {seen['wide']}" for address, seen in every_page.items() if seen["wide"]]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_language_switch_says_the_language_in_words(served, driver, width):
    browser.viewport(driver, width, 800)
    for address, name in (("charlevoix/", "English"), ("en/charlevoix/", "Français")):
        driver.get(served + address)
        switch = driver.find_element("css selector", ".md-header a.kit-language__link")
        box = switch.rect
        assert switch.is_displayed() and switch.text == name
        assert box["x"] >= 0 and box["x"] + box["width"] <= width and box["height"] >= 24, box


def test_discussion_boxes_set_their_questions_at_body_size(served, driver):
    driver.get(served + "enjeux/")
    sizes = driver.execute_script(
        "const size = s => getComputedStyle(document.querySelector(s)).fontSize;"
        "return [size('article > p'), size('.kit-worksheet-box li')];")
    assert sizes[0] == sizes[1], sizes


def test_printable_versions_are_buttons_big_enough_to_tap(served, driver):
    browser.viewport(driver, 390, 844)
    driver.get(served + "fiches/")
    buttons = driver.find_elements("css selector", "article a.md-button.kit-pdf")
    assert len(buttons) >= 4
    for button in buttons:
        assert button.rect["height"] >= 40 and button.rect["width"] >= 44, (button.text, button.rect)


def test_printing_a_page_keeps_headings_terms_and_rows_with_what_follows(served, driver):
    driver.get(served + "glossaire/")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    styles = driver.execute_script(
        "const get = (s, p) => getComputedStyle(document.querySelector(s))[p];"
        "return [get('article h1', 'breakAfter'), get('article dt', 'breakAfter')];")
    assert styles == ["avoid", "avoid"], styles
    driver.get(served + "sources/")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert driver.execute_script("return getComputedStyle(document.querySelector('article tbody tr')).breakInside") == "avoid"
    assert driver.execute_script("return getComputedStyle(document.querySelector('article h2')).breakAfter") == "avoid"


def test_printing_a_worksheet_page_gives_questions_answers_and_room_but_no_notes_or_links(served, driver):
    driver.get(served + "fiches/echange-1/")
    box = driver.find_element("css selector", "textarea[name=echange-1-q1]")
    box.send_keys("Réponse tapée « à l’écran ».")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    hidden = [".kit-facilitator", "h2#animation", ".kit-sheet-actions", ".kit-answer-actions", "a[href$='.pdf']"]
    for selector in hidden:
        for element in driver.find_elements("css selector", "article " + selector):
            assert not element.is_displayed(), f"{selector} prints"
    pointer = driver.find_element("css selector", "article .kit-print-only")
    assert pointer.is_displayed() and "fiches/pdf/echange-1-letter.pdf" in pointer.text
    copy = driver.find_element("css selector", ".kit-print-answer[data-for=echange-1-q1]")
    assert copy.is_displayed() and copy.text == "Réponse tapée « à l’écran »."
    notes = driver.find_element("css selector", ".kit-print-answer[data-for=echange-1-notes]")
    assert notes.is_displayed() and notes.rect["height"] > 80, "room to write by hand"
    driver.execute_script("localStorage.clear()")


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


@pytest.mark.parametrize("address", ["fiches/echange-2/", "en/fiches/echange-1/", "", "en/glossaire/"])
def test_a_printed_page_ends_on_its_last_words_not_a_blank_sheet(served, driver, address):
    """The theme's full-height layout once added an empty last sheet to a printed page."""
    driver.get(served + address)
    try:
        reader = browser.printed(driver)
        assert reader.pages[-1].extract_text().strip(), f"/{address}: page {len(reader.pages)} of the print is blank"
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
        heading = driver.find_element("css selector", "article h1").text
        assert "Charlevoix" in heading or heading.startswith(("Agir ensemble", "Acting together")), heading
        assert driver.find_element("css selector", "html").get_attribute("lang") == ("en" if prefix else "fr")


def test_projection_pages_log_no_error_served_or_from_a_file(site, served, driver, tmp_path):
    """The theme's script finds every element it expects on a projection page (it once logged
    "Missing element: expected [data-md-component=header]"), from a server and from the offline kit."""
    import zipfile

    with zipfile.ZipFile(site / "trousse-hors-ligne.zip") as archive:
        archive.extractall(tmp_path)
    (kit,) = tmp_path.iterdir()
    browser.console_errors(driver)  # what earlier tests left
    for address in ("fiches/echange-2/projection/", "en/fiches/standardisation/projection/"):
        for url in (served + address, (kit / address / "index.html").as_uri()):
            driver.get(url)
            assert browser.wait_until(lambda: driver.find_elements("css selector", ".kit-slide:not([hidden])")), url  # the kit's script ran
            assert browser.console_errors(driver) == [], url
