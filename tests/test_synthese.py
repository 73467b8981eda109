"""/synthese/ against `make collect`: one folder of returned files (good sheets of two worksheets in
both languages from several groups, and every kind of bad file) read by the page in Chromium and by
kit.collect; both must give the same rows of synthese.csv, the same counts and the same files not
read, for the same reasons. From a server (French page) and from the offline kit (English page).

Encrypted PDFs too: one that opens without a password is read by both, one that needs a password
is named by both as protected."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfWriter

import browser
import fill
from helpers import data
from kit import collect
from test_answers import offline_kit

pytestmark = pytest.mark.browser
KIT = data.load()
FORMULA = "=1+1 (une formule?)"
SPACES = "   des espaces au début, gardés"
FORMULA_GROUP = "-2+3"
OPEN_LOCK = "m-sans-mot-de-passe.pdf"  # encrypted with an empty user password: both read it


@pytest.fixture(scope="module")
def returned(site, tmp_path_factory) -> Path:
    """A flat folder as the files come back by email (the page sees names, not folders)."""
    folder = tmp_path_factory.mktemp("returned-page")
    fr, en = site / "fiches" / "pdf", site / "en" / "fiches" / "pdf"
    good = fill.fill(fr / "echange-1-letter.pdf", folder / "a-echange-1-rivage.pdf",
                     {"echange-1-group": "Le Rivage", "echange-1-q1": "Le financement « à la mission », d’abord.\nEnsuite l’épuisement.",
                      "echange-1-notes": "Garder du temps pour les personnes usagères."})
    fill.fill(fr / "echange-1-a4.pdf", folder / "b-echange-1-maison.pdf",
              {"echange-1-group": "La Maison", "echange-1-q1": FORMULA, "echange-1-notes": SPACES})
    fill.fill(en / "espaces-de-concertation-a4.pdf", folder / "c-partner.pdf",
              {"espaces-de-concertation-group": "Partner group", "espaces-de-concertation-q2-choice": "/1",
               "espaces-de-concertation-q2": "We share goals once a year, \"formally\"."})
    fill.fill(en / "echange-1-letter.pdf", folder / "d-north.pdf",
              {"echange-1-group": "North group", "echange-1-q1": "Core funding, first.", "echange-1-notes": "Board, staff, users"})
    fill.fill(fr / "espaces-de-concertation-letter.pdf", folder / "e-groupe.pdf",
              {"espaces-de-concertation-group": FORMULA_GROUP, "espaces-de-concertation-q2-choice": "/1",
               "espaces-de-concertation-q1-choice": "/0"})
    shutil.copy(good, folder / "f-copie.pdf")  # the same file sent twice
    (folder / "g-lisez-moi.txt").write_text("Les fiches de notre groupe.", encoding="utf-8")
    fill.plant_bad_files(folder, good, fr, prefix="h-")
    for name, password in (("l-protégé.pdf", "secret"), (OPEN_LOCK, "")):
        locked = PdfWriter(clone_from=str(good))
        locked.encrypt(password, "owner")
        with open(folder / name, "wb") as handle:
            locked.write(handle)
    return folder


@pytest.fixture(scope="module")
def collected(returned, tmp_path_factory):
    """What make collect reads and writes (in process: the same functions as the command)."""
    reading = collect.read(returned, KIT)
    out = tmp_path_factory.mktemp("collected")
    collect.write_csv(reading, out / "synthese.csv")
    return reading, csv_rows((out / "synthese.csv").read_bytes())


def csv_rows(raw: bytes) -> list[list[str]]:
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, so that Excel shows the accents"
    text = raw.decode("utf-8-sig")
    assert text.startswith(",".join(collect.COLUMNS) + "\r\n") and text.endswith("\r\n")
    return list(csv.reader(io.StringIO(text, newline="")))


def through_the_page(driver, address: str, folder: Path, downloads: Path) -> tuple[list[list[str]], dict, dict]:
    """The folder's files chosen on the page; its CSV (downloaded), its counts and its files not read."""
    driver.get(address)
    files = sorted(str(p) for p in folder.iterdir())
    driver.find_element("css selector", "#kit-synthese-files").send_keys("\n".join(files))
    done = browser.wait_until(lambda: driver.find_element("css selector", "[data-kit-synthese]").get_attribute("data-kit-synthese-done"), 60)
    assert done == str(len(files)), driver.find_element("css selector", "[data-kit-synthese-status]").text
    browser.save_downloads_in(driver, downloads)
    driver.find_element("css selector", "[data-kit-synthese-save]").click()
    assert browser.downloaded(downloads, "synthese.csv"), "synthese.csv was not saved"
    counts = {e.get_attribute("data-count"): int(e.text) for e in driver.find_elements("css selector", "[data-count]")}
    not_read = {e.get_attribute("data-file"): e.get_attribute("data-reason")
                for e in driver.find_elements("css selector", ".kit-synthese-not-read li")}
    return csv_rows((downloads / "synthese.csv").read_bytes()), counts, not_read


def same_as_collect(page_rows, counts, not_read, collected) -> None:
    reading, rows = collected
    assert [r for r in rows if r[0] == OPEN_LOCK], "collect reads a PDF encrypted without a password"
    reasons = {name: reason for name, reason, _ in reading.not_read}
    assert not_read == reasons
    assert set(reasons.values()) >= {"collect_not_pdf", "collect_damaged", "collect_encrypted", "collect_no_fields",
                                     "collect_empty", "collect_duplicate"}, "every kind of bad file is planted"
    answers = reading.answers
    assert counts == {"files": reading.read, "answers": len(answers), "sheets": len({(a.file, a.worksheet) for a in answers})}
    assert page_rows[0] == collect.COLUMNS
    assert page_rows == rows


def test_the_page_gives_the_rows_of_make_collect_from_a_server(driver, served, returned, collected, tmp_path):
    browser.requests_made(driver)
    page_rows, counts, not_read = through_the_page(driver, served + "synthese/", returned, tmp_path)
    other_hosts = [r["url"] for r in browser.requests_made(driver) if not r["url"].startswith(served.split("/trousse/")[0])]
    assert other_hosts == [], "nothing leaves the computer"
    by_answer = {r[6]: r for r in page_rows}
    assert by_answer["'" + FORMULA][1] == "La Maison", "a formula gets a ' in front, in the CSV only"
    assert by_answer[SPACES][4] == "notes", "leading spaces kept"
    assert [r for r in page_rows if r[1] == "'" + FORMULA_GROUP], "a group that looks like a formula too"
    old = [r for r in page_rows if r[0] == "h-ancienne-version.pdf"]
    assert [(r[4], r[5], r[6]) for r in old] == [("7", KIT.t("fr")["collect_unknown"], "Une ancienne question.")]
    page = driver.find_element("css selector", "[data-kit-synthese-result]").text
    assert "Le financement « à la mission », d’abord." in page.replace("\u00a0", " ") and FORMULA in page
    assert KIT.t("fr")["collect_unknown"].replace("\u00a0", " ") in page.replace("\u00a0", " ")
    assert browser.axe_violations(driver) == [], "the synthesis shown, read as the page's own content"
    same_as_collect(page_rows, counts, not_read, collected)


def test_the_page_gives_the_same_rows_from_the_offline_kit_in_english(driver, site, returned, collected, tmp_path):
    kit = offline_kit(site, tmp_path / "kit")
    page_rows, counts, not_read = through_the_page(driver, (kit / "en" / "synthese" / "index.html").as_uri(), returned, tmp_path / "out")
    text = driver.find_element("css selector", "[data-kit-synthese-result]").text
    assert KIT.t("en")["collect_not_read"] in text and "Partner group" in text
    assert KIT.t("en")["collect_encrypted"].split(":")[0] in text
    same_as_collect(page_rows, counts, not_read, collected)


def test_files_dropped_on_the_page_are_read_and_start_again_clears_them(driver, served):
    driver.get(served + "synthese/")
    driver.execute_script(
        "const files = new DataTransfer(); files.items.add(new File(['Les fiches de notre groupe.'], 'lisez-moi.txt'));"
        "document.querySelector('.md-content').dispatchEvent(new DragEvent('drop', {dataTransfer: files, bubbles: true, cancelable: true}));")
    item = browser.wait_until(lambda: driver.find_elements("css selector", ".kit-synthese-not-read li"), 30)
    assert item and item[0].get_attribute("data-reason") == "collect_not_pdf"
    status = driver.find_element("css selector", "[data-kit-synthese-status]").text
    def words(text):
        return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
    assert words(status) == words(KIT.t("fr")["synthese_none"]), "nothing read: said in words"
    assert driver.find_element("css selector", "[data-kit-synthese-save]").get_attribute("disabled")
    driver.find_element("css selector", "[data-kit-synthese-clear]").click()
    assert driver.find_element("css selector", "[data-kit-synthese-result]").text == ""
    assert driver.switch_to.active_element.get_attribute("id") == "kit-synthese-files"
