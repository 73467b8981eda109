"""Answering on a worksheet's page and projecting it, in a real browser (Debian's Chromium):
answers kept on the device, downloaded as the worksheet's PDF filled in, collected back; the
projection driven with the keyboard like a presentation clicker; both from the offline kit too."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

import browser
from helpers import ROOT, data, label, words
from kit import addresses, collect

pytestmark = pytest.mark.browser
KIT = data.load()
TYPED = "Le financement « à la mission », d’abord.\nPuis l’épuisement des équipes."


def type_answers(driver, sheet: str) -> None:
    driver.find_element("css selector", f"input[name={sheet}-group]").send_keys("Le Rivage")
    driver.find_element("css selector", f"textarea[name={sheet}-q1]").send_keys(TYPED)
    driver.find_element("css selector", f"textarea[name={sheet}-notes]").send_keys("Des notes.")


def values(driver, sheet: str) -> dict:
    return driver.execute_script(
        "const f = document.querySelector('form.kit-answers'); const out = {};"
        "for (const e of f.elements) { if (!e.name) continue;"
        "  if (e.type === 'radio') { if (e.checked) out[e.name] = e.value; } else out[e.name] = e.value; }"
        "return out;")


def download(driver, folder: Path, paper: str = "letter") -> Path:
    browser.save_downloads_in(driver, folder)
    before = set(folder.glob("*.pdf"))
    driver.find_element("css selector", f"input[name=kit-paper][value={paper}]").click()
    driver.find_element("css selector", '[data-answers="download"]').click()
    found = browser.downloaded(folder, "*.pdf", before)
    assert found, "nothing was downloaded: " + driver.find_element("css selector", ".kit-answer-status").text
    return found[0]


@pytest.fixture()
def fresh(driver, served):
    """A worksheet page with nothing kept for it on this device."""
    driver.get(served + "fiches/echange-1/")
    driver.execute_script("localStorage.clear()")
    yield
    driver.execute_script("localStorage.clear()")


def test_answers_stay_on_the_device_and_clear_after_a_confirmation(driver, served, fresh):
    driver.get(served + "fiches/echange-1/")
    type_answers(driver, "echange-1")
    driver.refresh()
    kept = values(driver, "echange-1")
    assert kept["echange-1-q1"] == TYPED and kept["echange-1-group"] == "Le Rivage" and kept["echange-1-notes"] == "Des notes."
    driver.get(served + "en/fiches/echange-1/")  # the same worksheet in English: the same answers
    assert values(driver, "echange-1")["echange-1-q1"] == TYPED
    driver.find_element("css selector", '[data-answers="clear"]').click()
    driver.switch_to.alert.dismiss()  # "Cancel": nothing is lost
    assert values(driver, "echange-1")["echange-1-q1"] == TYPED
    driver.find_element("css selector", '[data-answers="clear"]').click()
    driver.switch_to.alert.accept()
    assert values(driver, "echange-1")["echange-1-q1"] == ""
    driver.refresh()
    assert values(driver, "echange-1")["echange-1-q1"] == ""


def test_the_page_says_nothing_is_sent_and_sends_nothing(driver, served, fresh):
    driver.get(served + "fiches/echange-1/")
    assert words(driver.find_element("css selector", ".kit-privacy").text) == words(label("privacy", "fr"))
    browser.requests_made(driver)
    type_answers(driver, "echange-1")
    time.sleep(0.5)
    assert browser.requests_made(driver) == [], "typing an answer made a request"


def test_downloaded_answers_are_the_worksheets_pdf_filled_in_and_collect_reads_them(driver, served, fresh, tmp_path):
    driver.get(served + "fiches/espaces-de-concertation/")
    browser.requests_made(driver)
    driver.find_element("css selector", "input[name=espaces-de-concertation-group]").send_keys("La Maison")
    driver.find_element("css selector", "input[name=espaces-de-concertation-q2-choice][value='1']").click()
    driver.find_element("css selector", "textarea[name=espaces-de-concertation-q2]").send_keys(TYPED)
    driver.refresh()  # kept through a reload, then downloaded
    loaded = [r["url"] for r in browser.requests_made(driver)]
    assert not [u for u in loaded if "pdf-lib" in u], "pdf-lib loads only when answers are downloaded"
    pdf = download(driver, tmp_path / "in", "a4")
    assert any("pdf-lib.min.js" in r["url"] for r in browser.requests_made(driver))
    reader = PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert round(reader.pages[0].mediabox.width) == 595, "the A4 version, as chosen"
    fields = collect.field_values(reader)
    assert fields["espaces-de-concertation-q2"] == TYPED
    assert fields["espaces-de-concertation-q2-choice"] == "En partie"
    assert fields["espaces-de-concertation-group"] == "La Maison"
    result = subprocess.run([sys.executable, "scripts/build.py", "collect", str(tmp_path / "in"), str(tmp_path / "out")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    csv = (tmp_path / "out" / "synthese.csv").read_text(encoding="utf-8-sig")
    assert "La Maison,espaces-de-concertation,fr,2-choice," in csv and "En partie" in csv and "« à la mission »" in csv


def test_the_english_page_downloads_the_english_pdf(driver, served, fresh, tmp_path):
    driver.get(served + "en/fiches/echange-2/")
    driver.find_element("css selector", "textarea[name=echange-2-q1]").send_keys("Too many meetings; not enough time.")
    pdf = download(driver, tmp_path)
    reader = PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == "en" and round(reader.pages[0].mediabox.width) == 612
    assert collect.field_values(reader)["echange-2-q1"] == "Too many meetings; not enough time."
    assert "Discussion 2" in reader.pages[0].extract_text()


def test_the_answer_boxes_work_on_a_phone_with_the_keyboard(driver, served, fresh):
    browser.viewport(driver, 390, 844)
    driver.get(served + "fiches/espaces-de-concertation/")
    boxes = driver.find_elements("css selector", "form.kit-answers textarea, form.kit-answers input")
    shown = [b for b in boxes if b.is_displayed()]
    assert len(shown) >= 10 and all(b.rect["x"] >= 0 and b.rect["x"] + b.rect["width"] <= 390 for b in shown)
    names = driver.execute_script(  # each box named by its question, as a screen reader announces it
        "return [...document.querySelectorAll('form.kit-answers textarea')].map(t => {"
        "  const ids = (t.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean);"
        "  return ids.length ? ids.map(i => document.getElementById(i).textContent).join(' ') : t.labels[0].textContent; });")
    sheet = KIT.worksheet("espaces-de-concertation")
    for name, question in zip(names, sheet.questions):
        assert question["fr"].replace("'", "’") in " ".join(name.split()).replace("\u00a0", " ")
    assert browser.axe_violations(driver) == []


def offline_kit(site: Path, folder: Path) -> Path:
    with zipfile.ZipFile(site / "trousse-hors-ligne.zip") as archive:
        archive.extractall(folder)
    (kit,) = folder.iterdir()
    return kit


def test_answers_and_downloads_work_in_the_offline_kit(driver, site, tmp_path):
    kit = offline_kit(site, tmp_path / "kit")
    page = (kit / "fiches" / "echange-3" / "index.html").as_uri()
    driver.get(page)
    driver.execute_script("localStorage.clear()")
    driver.find_element("css selector", "textarea[name=echange-3-q1]").send_keys(TYPED)
    driver.get(page)
    assert values(driver, "echange-3")["echange-3-q1"] == TYPED, "answers kept from a file:// page"
    pdf = download(driver, tmp_path / "out")
    assert collect.field_values(PdfReader(pdf))["echange-3-q1"] == TYPED
    driver.execute_script("localStorage.clear()")


# ---- two tabs, a browser that cannot store, answers of the earlier version --------------------------

def test_two_tabs_on_one_worksheet_keep_what_each_types(driver, served, fresh):
    page = served + "fiches/echange-2/"
    driver.get(page)
    driver.execute_script("localStorage.clear()")
    first = driver.current_window_handle
    driver.switch_to.new_window("tab")
    second = driver.current_window_handle
    try:
        driver.get(page)
        driver.switch_to.window(first)
        driver.find_element("css selector", "textarea[name=echange-2-q1]").send_keys("Écrit dans le premier onglet.")
        driver.switch_to.window(second)  # this tab opened before: it picks the answer up
        assert browser.wait_until(lambda: values(driver, "echange-2")["echange-2-q1"] == "Écrit dans le premier onglet.", 5)
        driver.find_element("css selector", "textarea[name=echange-2-notes]").send_keys("Et dans le second.")
        driver.switch_to.window(first)
        assert browser.wait_until(lambda: values(driver, "echange-2")["echange-2-notes"] == "Et dans le second.", 5)
        driver.find_element("css selector", "input[name=echange-2-group]").send_keys("Le Premier")
        for handle in (first, second):  # nothing lost, whichever tab saved last
            driver.switch_to.window(handle)
            driver.refresh()
            kept = values(driver, "echange-2")
            assert (kept["echange-2-q1"], kept["echange-2-notes"], kept["echange-2-group"]) == (
                "Écrit dans le premier onglet.", "Et dans le second.", "Le Premier"), handle
    finally:
        driver.switch_to.window(second)
        driver.close()
        driver.switch_to.window(first)
        driver.execute_script("localStorage.clear()")


def test_answers_kept_by_the_earlier_version_still_show(driver, served, fresh):
    driver.get(served + "fiches/echange-1/")
    driver.execute_script("localStorage.setItem('kit-answers:echange-1', JSON.stringify("
                          "{'echange-1-q1': 'Gardé avant la mise à jour.', 'echange-1-group': 'Le Phare'}));"
                          "localStorage.setItem('kit-answers:echange-1:echange-1-group', 'Plus récent');")
    driver.refresh()
    kept = values(driver, "echange-1")
    assert kept["echange-1-q1"] == "Gardé avant la mise à jour." and kept["echange-1-group"] == "Plus récent"
    stored = driver.execute_script("return Object.assign({}, localStorage)")
    assert "kit-answers:echange-1" not in stored, "moved to one entry per field"
    assert stored["kit-answers:echange-1:echange-1-q1"] == "Gardé avant la mise à jour."


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_browser_that_cannot_store_says_the_answers_are_not_kept(driver, served, fresh, tmp_path, lang):
    prefix = addresses.prefix(lang)
    with browser.storage_refused(driver):
        driver.get(served + prefix + "fiches/echange-1/")
        warning = driver.find_element("css selector", ".kit-answer-warning")
        assert warning.is_displayed(), "the page says at once that nothing is kept"
        assert label("answers_not_kept", lang) in warning.text
        driver.find_element("css selector", "textarea[name=echange-1-q1]").send_keys("Perdu si je ferme.")
        status = driver.find_element("css selector", ".kit-answer-status").text
        assert status == label("answers_not_kept_short", lang), status
        assert label("answers_saved", lang) not in status, status
        assert browser.axe_violations(driver) == []
        browser.save_downloads_in(driver, tmp_path)  # the download offered in the warning keeps them
        warning.find_element("css selector", "button").click()
        found = browser.downloaded(tmp_path, "*.pdf")
        assert found, driver.find_element("css selector", ".kit-answer-status").text
        assert collect.field_values(PdfReader(found[0]))["echange-1-q1"] == "Perdu si je ferme."
    driver.refresh()
    assert not driver.find_element("css selector", ".kit-answer-warning").is_displayed()


def test_storage_that_fills_up_while_typing_is_said_and_room_found_again_is_said_too(driver, served, fresh):
    with browser.storage_refused(driver, longer_than=200):
        driver.get(served + "fiches/echange-1/")
        status = driver.find_element("css selector", ".kit-answer-status")
        warning = driver.find_element("css selector", ".kit-answer-warning")
        driver.find_element("css selector", "input[name=echange-1-group]").send_keys("Le Rivage")
        assert status.text == label("answers_saved", "fr") and not warning.is_displayed()
        box = driver.find_element("css selector", "textarea[name=echange-1-q1]")
        driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
                              box, "Une longue réponse. " * 20)
        assert status.text == label("answers_not_kept_short", "fr") and warning.is_displayed(), "the long answer could not be kept"
        box.clear()
        box.send_keys("Plus court.")
        assert status.text == label("answers_saved", "fr") and not warning.is_displayed()
    driver.refresh()
    assert values(driver, "echange-1")["echange-1-q1"] == "Plus court."


# ---- the downloaded PDF, read on paper ------------------------------------------------------------

def pdftotext(path: Path, first: int = 1, last: int = 0) -> str:
    from helpers import require

    require(bool(shutil.which("pdftotext")), "poppler-utils (Debian)")
    pages = ["-f", str(first)] + (["-l", str(last)] if last else [])
    return subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, text=True, check=True).stdout


def long_answer(words: int) -> str:
    """About 7 characters a word, numbered, so that a missing word is seen; the last one unique."""
    return " ".join(f"idée{n}" for n in range(1, words)) + " dernier-mot-zéphyr"


def test_a_long_answer_is_printed_whole_at_one_readable_size(driver, served, fresh, tmp_path):
    driver.get(served + "fiches/echange-1/")
    answer = long_answer(420)
    assert len(answer) >= 3000
    driver.execute_script("const box = document.querySelector('textarea[name=\"echange-1-q1\"]');"
                          "box.value = arguments[0]; box.dispatchEvent(new Event('input', {bubbles: true}));", answer)
    driver.find_element("css selector", "textarea[name=echange-1-notes]").send_keys("Court.")
    pdf = download(driver, tmp_path)
    reader = PdfReader(pdf)
    fields = collect.field_values(reader)
    assert fields["echange-1-q1"] == answer and fields["echange-1-notes"] == "Court.", "the fields hold every word"
    sizes = {}
    for page in reader.pages:
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            if annot.get("/FT") == "/Tx":
                sizes[annot["/T"]] = float(re.search(r"([\d.]+) Tf", annot["/DA"]).group(1))
    assert sizes and all(size >= 11 for size in sizes.values()), sizes
    assert len(set(sizes.values())) == 1, f"one size for every answer: {sizes}"
    assert "dernier-mot-zéphyr" in reader.pages[-1].extract_text(), "the last word, on the last page"
    assert {round(page.mediabox.width) for page in reader.pages} == {612}, "added pages on the same paper"
    added = pdftotext(pdf, first=3)
    assert label("answers_continued", "fr") in added
    assert "dernier-mot-zéphyr" in added, "the continuation page holds the answer to its last word"
    question = KIT.worksheet("echange-1").questions[0]["fr"].replace("'", "’")
    assert " ".join(question.split()[:6]) in " ".join(added.split()), "each answer under its question"
    printed = " ".join(added.split())
    assert all(f"idée{n} " in printed for n in range(1, 420)), "no word missing"
    assert "Court." not in added, "an answer that fits its box is not printed again"
    assert words(label("answers_continued_at", "fr").replace("{page}", "3")) in words(pdftotext(pdf, 1, 2)), \
        "the box says where the answer goes on"
    status = driver.find_element("css selector", ".kit-answer-status").text
    assert pdf.name in status and label("answers_send_gatherer", "fr") in status, status


def test_characters_the_font_lacks_are_not_dropped_and_the_contact_is_named(driver, served, fresh, tmp_path):
    driver.get(served + "en/fiches/echange-3/")
    typed = "Values → practice; Gŵen’s 😊 idea: ≥ 2 meetings"
    driver.execute_script("const box = document.querySelector('textarea[name=\"echange-3-q1\"]');"
                          "box.value = arguments[0]; box.dispatchEvent(new Event('input', {bubbles: true}));"
                          "document.querySelector('form.kit-answers').setAttribute('data-kit-contact', arguments[1]);",
                          typed, "Alex Tremblay, alex@example.org")
    pdf = download(driver, tmp_path)
    reader = PdfReader(pdf)
    assert collect.field_values(reader)["echange-3-q1"] == typed
    added = pdftotext(pdf, first=len(reader.pages))
    assert label("answers_continued", "en") in added
    assert "→" in added and "≥" in added, "drawn with the fallback font (Symbol)"
    assert "[U+1F60A]" in added and "[U+0175]" in added, "a character no font here has is shown by its code"
    assert words(label("answers_substitute_note", "en")) in words(added)
    status = driver.find_element("css selector", ".kit-answer-status").text
    assert pdf.name in status and "Alex Tremblay, alex@example.org" in status, status


# ---- projection -------------------------------------------------------------------------------------

def visible_slide(driver) -> str:
    return driver.execute_script("const s = [...document.querySelectorAll('.kit-slide')].find(s => !s.hidden); return s.innerText;")


def press(driver, key: str) -> None:
    """A key as a clicker or a keyboard sends it; what it did is then awaited by the caller (showing()),
    never a guessed delay."""
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(key).perform()


def showing(driver, text: str) -> bool:
    """The slide on screen shows `text`, within a few seconds (however busy the machine)."""
    return bool(browser.wait_until(lambda: text in visible_slide(driver), 10))


@pytest.mark.parametrize("where", ["served", "offline"])
def test_the_projection_goes_one_question_at_a_time_with_a_clicker(driver, served, site, tmp_path, where):
    from selenium.webdriver.common.keys import Keys

    browser.viewport(driver, 1280, 720)
    sheet = KIT.worksheet("espaces-de-concertation")
    if where == "served":
        driver.get(served + "fiches/espaces-de-concertation/projection/")
    else:
        driver.get((offline_kit(site, tmp_path) / "fiches" / "espaces-de-concertation" / "projection" / "index.html").as_uri())
    assert not driver.find_elements("css selector", ".md-header, .md-sidebar--primary .md-nav__list, .md-footer"), "no menus"
    assert driver.find_element("css selector", "article h1").text == sheet.title["fr"]
    assert "Les espaces de concertation servent" in visible_slide(driver)  # the context first
    for key, number in ((Keys.ARROW_RIGHT, 1), (Keys.PAGE_DOWN, 2), (Keys.SPACE, 3), (Keys.ARROW_LEFT, 2), (Keys.PAGE_UP, 1)):
        press(driver, key)
        assert showing(driver, sheet.questions[number - 1]["fr"].replace("'", "’")), (key, number, visible_slide(driver))
    size = driver.execute_script("return parseFloat(getComputedStyle(document.querySelector('.kit-slide:not([hidden]) .kit-slide-question')).fontSize)")
    assert size >= 32, f"questions in {size}px at 1280×720"
    timer = driver.find_element("css selector", "[role=timer]")
    assert timer.text == f"{sheet.duration}:00" and timer.is_displayed() and timer.rect["y"] + timer.rect["height"] <= 720
    toggle = driver.find_element("css selector", '[data-timer="toggle"]')
    toggle.click()
    assert browser.wait_until(lambda: re.fullmatch(rf"{sheet.duration - 1}:5\d", timer.text), 60), timer.text  # it counts down
    toggle.click()  # pause
    paused = timer.text
    time.sleep(1.2)
    assert timer.text == paused, "the countdown pauses"
    driver.find_element("css selector", '[data-timer="reset"]').click()
    assert timer.text == f"{sheet.duration}:00"
    assert browser.axe_violations(driver) == []


def test_each_worksheet_page_and_the_guide_link_the_projection(site):
    from helpers import page_file, soup

    for lang, prefix in (("fr", ""), ("en", "en/")):
        guide = {a["href"] for a in soup(page_file(site, prefix + "animation/")).select("article a[href]")}
        for sheet in KIT.worksheets:
            assert f"../fiches/{sheet.id}/projection/" in guide, (lang, sheet.id)
            links = [a["href"] for a in soup(page_file(site, f"{prefix}fiches/{sheet.id}/")).select("article a.kit-project")]
            assert links == ["projection/"]


def test_the_clicker_keys_go_on_whatever_has_focus_and_the_countdown_has_its_own(driver, served):
    from selenium.webdriver.common.keys import Keys

    browser.viewport(driver, 1024, 768)
    sheet = KIT.worksheet("espaces-de-concertation")
    driver.get(served + "fiches/espaces-de-concertation/projection/")
    timer = driver.find_element("css selector", "[role=timer]")
    toggle = driver.find_element("css selector", '[data-timer="toggle"]')
    toggle.click()  # the countdown runs, and its button has focus
    assert driver.switch_to.active_element == toggle
    for key, number in ((Keys.SPACE, 1), (Keys.PAGE_DOWN, 2), (Keys.ARROW_RIGHT, 3), (Keys.SPACE, 4), (Keys.PAGE_UP, 3)):
        driver.execute_script("arguments[0].focus()", toggle)  # focus back on the countdown's button
        press(driver, key)
        assert showing(driver, sheet.questions[number - 1]["fr"].replace("'", "’")), (key, number, visible_slide(driver))
    browser.wait_until(lambda: timer.text != f"{sheet.duration}:00", 60)  # its first second, however busy the machine
    assert toggle.text == label("timer_pause", "fr") and timer.text != f"{sheet.duration}:00", "the countdown was neither paused nor reset"
    running = timer.text
    assert browser.wait_until(lambda: timer.text != running, 60), "it still counts down"
    driver.execute_script("arguments[0].focus()", driver.find_element("css selector", '[data-slide="next"]'))
    press(driver, Keys.SPACE)  # Space on the Next button: one slide, not two
    assert showing(driver, sheet.questions[3]["fr"].replace("'", "’")), visible_slide(driver)
    press(driver, "t")  # the countdown's own key
    assert browser.wait_until(lambda: toggle.text == label("timer_start", "fr"), 10), toggle.text
    paused = timer.text
    time.sleep(1.1)
    assert timer.text == paused
    driver.execute_script("arguments[0].focus()", toggle)
    press(driver, Keys.ENTER)  # its button answers Enter
    assert browser.wait_until(lambda: toggle.text == label("timer_pause", "fr"), 10), toggle.text
    driver.find_element("css selector", '[data-timer="reset"]').click()
    assert "T" in driver.find_element("css selector", ".kit-projection-help").text


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_every_question_is_40_px_tall_without_sideways_scrolling_on_an_old_projector(driver, served, prefix):
    browser.viewport(driver, 1024, 768)
    for sheet in KIT.worksheets:
        driver.get(f"{served}{prefix}fiches/{sheet.id}/projection/")
        measures = driver.execute_script(
            "const out = []; const slides = [...document.querySelectorAll('.kit-slide')];"
            "for (const slide of slides) { slides.forEach(s => s.hidden = s !== slide);"
            "  const q = slide.querySelector('.kit-slide-question');"
            "  out.push({size: q ? parseFloat(getComputedStyle(q).fontSize) : null,"
            "            scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth}); }"
            "return out;")
        assert len(measures) == len(sheet.questions) + 1
        for number, measure in enumerate(measures):
            assert measure["scroll"] <= measure["client"], (sheet.id, number, measure)
            if number:
                assert measure["size"] >= 40, (sheet.id, number, measure)
