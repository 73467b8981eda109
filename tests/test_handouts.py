"""The PDF handouts, opened as a reader's PDF viewer would: pages, fields, text, language."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from pypdf import PdfReader

import handouts
import worksheets
from conftest import SITE_URL
from helpers import normalize, page_file, require, soup
from typography import french_text

SHEETS = worksheets.load_all()
SIZES = {"letter": (612, 792), "a4": (595, 842)}  # points


def text_of(reader: PdfReader) -> str:
    return normalize(" ".join(page.extract_text() for page in reader.pages))


def test_the_manifest_lists_every_file_and_only_them(site, manifest):
    expected = {(s["id"], lang, paper) for s in SHEETS for lang in ("fr", "en") for paper in ("letter", "a4")}
    expected |= {(f"pack-{a}", lang, paper) for a in ("participant", "facilitator") for lang in ("fr", "en") for paper in ("letter", "a4")}
    assert {(e["id"], e["lang"], e["paper"]) for e in manifest} == expected
    on_disk = {p.relative_to(site).as_posix() for p in site.rglob("*.pdf")}
    assert on_disk == {e["path"] for e in manifest}
    for entry in manifest:
        path = site / entry["path"]
        assert entry["bytes"] == path.stat().st_size
        assert entry["pages"] == len(PdfReader(path).pages)
        assert set(entry) == {"id", "kind", "audience", "lang", "paper", "title", "path", "url", "pages", "bytes"}
        assert entry["url"].startswith(SITE_URL)
        assert page_file(site, entry["url"][len(SITE_URL):]).exists(), entry["url"]


@pytest.mark.parametrize("sheet", SHEETS, ids=[s["id"] for s in SHEETS])
def test_each_worksheet_handout_is_fillable_and_reads_as_its_questions(site, manifest, sheet):
    for entry in (e for e in manifest if e["id"] == sheet["id"]):
        lang = entry["lang"]
        reader = PdfReader(site / entry["path"])
        box = reader.pages[0].mediabox
        assert (round(box.width), round(box.height)) == SIZES[entry["paper"]]
        assert reader.trailer["/Root"]["/Lang"] == lang
        assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # tagged PDF
        expected = [q[lang] for q in sheet["questions"]] + [sheet["notes"][lang]]
        if lang == "fr":
            expected = [french_text(name) for name in expected]
        fields = reader.get_fields()
        assert [f.get("/TU") for f in fields.values()] == expected, "one field per question and for the notes, named by it"
        assert all(f.get("/FT") == "/Tx" for f in fields.values())
        text = text_of(reader)
        for question in sheet["questions"]:
            assert normalize(question[lang]) in text
        assert normalize(sheet["facilitator"][lang])[:60] not in text, "facilitator notes in a participant's handout"
        assert entry["url"] in "".join(page.extract_text() for page in reader.pages).replace("\n", "")
        assert entry["bytes"] / entry["pages"] <= 150 * 1024


def test_handout_text_extracts_as_plain_letters(site):
    text = PdfReader(site / worksheets.handout_path("echange-1", "fr", "letter")).pages[0].extract_text()
    assert "défis" in text.replace("\n", " ")
    assert not any(ligature in text for ligature in "ﬁﬂﬀﬃﬄ")


def test_every_font_is_embedded(site, manifest):
    for entry in manifest[:3] + [e for e in manifest if e["kind"] == "pack"][:1]:
        for page in PdfReader(site / entry["path"]).pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]


def test_packs_hold_every_worksheet_and_notes_only_for_facilitators(site, manifest):
    for entry in (e for e in manifest if e["kind"] == "pack"):
        lang = entry["lang"]
        text = text_of(PdfReader(site / entry["path"]))
        for sheet in SHEETS:
            assert normalize(sheet["questions"][0][lang]) in text
        note = {"fr": "la table profite du soutien d'une équipe de liaison", "en": "the table has the support of a liaison team"}[lang]
        if entry["audience"] == "facilitator":
            assert note in text
        else:
            assert note not in text
            assert normalize(handouts.TEXT[lang]["definitions"]) in text


def test_worksheet_pages_link_their_handouts(site, manifest):
    for entry in (e for e in manifest if e["kind"] == "worksheet"):
        page = page_file(site, entry["url"][len(SITE_URL):])
        hrefs = {(page.parent / a["href"]).resolve() for a in soup(page).select("article a[href$='.pdf']")}
        assert (site / entry["path"]).resolve() in hrefs


def test_the_qr_code_leads_to_the_worksheet_page(site, manifest, tmp_path):
    require(bool(shutil.which("zbarimg") and shutil.which("pdftoppm")), "zbar-tools and poppler-utils (Debian)")
    entry = next(e for e in manifest if e["id"] == "standardisation" and e["lang"] == "en" and e["paper"] == "letter")
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(site / entry["path"]), str(tmp_path / "p")], check=True)
    image = next(tmp_path.glob("p*.png"))
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True, check=True).stdout.strip()
    assert decoded == entry["url"] == SITE_URL + "en/fiches/standardisation/"


def test_unchanged_handouts_are_not_rendered_again(site, tmp_path, monkeypatch):
    monkeypatch.setattr(handouts, "ProcessPoolExecutor", None)  # any rendering would raise TypeError
    manifest = handouts.build(tmp_path, SITE_URL)  # the session's build left every handout in the cache
    assert len(manifest) == 40
    assert all((tmp_path / entry["path"]).exists() for entry in manifest)
