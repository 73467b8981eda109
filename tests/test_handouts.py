"""The PDF handouts, opened as a reader's PDF viewer would: pages, fields, text, language, layout."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter

import pytest
from pypdf import PdfReader

from helpers import SITE_URL, data, normalize, page_file, pages_text, require, soup, words_on_pages
from kept import kept
from kit import addresses, handouts, pdfjoin
from kit.typography import french_text

KIT = data.load()
SHEETS = KIT.worksheets
SIZES = {"letter": (612, 792), "a4": (595, 842)}  # points


def text_of(path) -> str:
    return normalize(" ".join(pages_text(path)))


def expected_catalogue() -> set[tuple]:
    """What the data says must be published: every worksheet and pack, in each language and
    edition (standard print on Letter and A4; large print on Letter, without the facilitator's pack)."""
    out = set()
    for lang in addresses.LANGS:
        for print_, paper in addresses.editions():
            out |= {(sheet.id, lang, paper, print_) for sheet in SHEETS}
            out |= {(f"pack-{audience}", lang, paper, print_) for audience in addresses.audiences(print_)}
    return out


def test_the_manifest_lists_every_file_and_only_them(site, manifest):
    assert {(e["id"], e["lang"], e["paper"], e["print"]) for e in manifest} == expected_catalogue()
    assert ("echange-1", "fr", "letter", "large") in expected_catalogue()
    assert ("pack-facilitator", "fr", "letter", "large") not in expected_catalogue()
    on_disk = {p.relative_to(site).as_posix() for p in site.rglob("*.pdf")}
    assert on_disk == {e["path"] for e in manifest}
    for entry in manifest:
        path = site / entry["path"]
        assert entry["bytes"] == path.stat().st_size
        assert entry["pages"] == page_count(path)
        assert set(entry) == {"id", "kind", "audience", "lang", "paper", "print", "title", "path", "page", "url", "pages", "bytes"}
        assert entry["url"] == SITE_URL + entry["page"]
        assert page_file(site, entry["page"]).exists(), entry["page"]


def field_names(sheet: data.Worksheet, lang: str) -> list[str]:
    """The accessible names (/TU) the handout's fields must carry, in order."""
    french = french_text if lang == "fr" else (lambda s: s)
    t, title = KIT.t(lang), french(sheet.title[lang])
    names = [f"{french(t['group'])} ({title})"]
    for q in sheet.questions:
        if sheet.scale:
            names.append(f"{french(q[lang])} ({' / '.join(french(c) for c in sheet.scale[lang])})")
            names.append(f"{french(q[lang])} ({french(t['example'])})")
        else:
            names.append(french(q[lang]))
    return names + [f"{french(sheet.notes[lang])} ({title})"]


@pytest.mark.parametrize("sheet", SHEETS, ids=[s.id for s in SHEETS])
def test_each_worksheet_handout_is_fillable_and_reads_as_its_questions(site, manifest, sheet):
    for entry in (e for e in manifest if e["id"] == sheet.id):
        lang = entry["lang"]
        reader = PdfReader(site / entry["path"])
        box = reader.pages[0].mediabox
        assert (round(box.width), round(box.height)) == SIZES[entry["paper"]]
        assert reader.trailer["/Root"]["/Lang"] == lang
        assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # tagged PDF
        fields = reader.get_fields()
        assert [f.get("/TU") for f in fields.values()] == field_names(sheet, lang), "each field named by its question"
        names = list(fields)
        expected = [f"{sheet.id}-group"]
        for n in range(1, len(sheet.questions) + 1):
            expected += [f"{sheet.id}-q{n}-choice", f"{sheet.id}-q{n}"] if sheet.scale else [f"{sheet.id}-q{n}"]
        assert names == expected + [f"{sheet.id}-notes"]
        for name, field in fields.items():
            assert field.get("/FT") == ("/Btn" if name.endswith("-choice") else "/Tx")
            if name.endswith("-choice"):  # a radio group: one box per choice, its options the choices
                assert [str(o) for o in field["/Opt"]] == [french_text(c) if lang == "fr" else c for c in sheet.scale[lang]]
        text = text_of(site / entry["path"])
        for question in sheet.questions:
            assert normalize(question[lang]) in text
        assert normalize(sheet.facilitator[lang])[:60] not in text, "facilitator notes in a participant's handout"
        assert entry["url"] in "".join(pages_text(site / entry["path"])).replace("\n", "")
        assert entry["bytes"] / entry["pages"] <= 150 * 1024


@kept
def page_count(path) -> int:
    return len(PdfReader(path).pages)


@kept
def fields_of(path) -> dict[str, str | None]:
    """{field name: its accessible name (/TU)} of a PDF's form."""
    return {name: field.get("/TU") for name, field in PdfReader(path).get_fields().items()}


def test_every_field_of_every_handout_has_a_name_of_its_own(site, manifest):
    """A screen reader announcing a pack's eight notes fields must tell them apart."""
    for entry in manifest:
        names = Counter(fields_of(site / entry["path"]).values())
        assert not [n for n, count in names.items() if count > 1], f"{entry['path']}: the same name twice"


def test_handout_text_extracts_as_plain_letters(site):
    text = PdfReader(site / addresses.handout("echange-1-letter.pdf", "fr")).pages[0].extract_text()
    assert "Défis" in text.replace("\n", " ")
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
        reader = PdfReader(site / entry["path"])
        text = text_of(site / entry["path"])
        for sheet in SHEETS:
            assert normalize(sheet.questions[0][lang]) in text
        note = {"fr": "la table profite du soutien d'une équipe de liaison", "en": "the table has the support of a liaison team"}[lang]
        if entry["audience"] == "facilitator":
            assert note in text
        else:
            assert note not in text
            assert normalize(KIT.t(lang)["definitions"]) in text
        assert reader.trailer["/Root"]["/Lang"] == lang
        assert reader.metadata.title == entry["title"]
        fields = fields_of(site / entry["path"])
        assert all(f"{sheet.id}-notes" in fields for sheet in SHEETS), "every worksheet of the pack is fillable"


def test_worksheet_pages_link_their_handouts(site, manifest):
    for entry in (e for e in manifest if e["kind"] == "worksheet"):
        page = page_file(site, entry["page"])
        hrefs = {(page.parent / a["href"]).resolve() for a in soup(page).select("article a[href$='.pdf']")}
        assert (site / entry["path"]).resolve() in hrefs


@pytest.mark.parametrize("print_", addresses.PRINTS)
def test_the_qr_code_leads_to_the_worksheet_page(site, manifest, tmp_path, print_):
    require(bool(shutil.which("zbarimg") and shutil.which("pdftoppm")), "zbar-tools and poppler-utils (Debian)")
    entry = next(e for e in manifest if e["id"] == "standardisation" and e["lang"] == "en" and e["paper"] == "letter"
                 and e["print"] == print_)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(site / entry["path"]), str(tmp_path / "p")], check=True)
    image = next(tmp_path.glob("p*.png"))
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True, check=True).stdout.strip()
    assert decoded == entry["url"] == SITE_URL + "en/fiches/standardisation/"


def test_no_word_runs_past_a_margin_or_over_another(site, manifest):
    """Every word of every page of every handout sits inside the page's margins (10 mm at least)
    and on no other word: a footer too long for its column would print over the page number.
    Large print too."""
    require(bool(shutil.which("pdftotext")), "poppler-utils (Debian)")
    assert {e["print"] for e in manifest} == set(addresses.PRINTS)
    margin = 10 * 72 / 25.4
    problems = []
    for entry in manifest:
        for number, words in enumerate(words_on_pages(site / entry["path"]), 1):
            for word in words:
                if word["x0"] < margin - 1 or word["x1"] > word["width"] - margin + 1 or word["y1"] > word["height"] - margin + 1:
                    problems.append(f"{entry['path']} p.{number}: '{word['text']}' past a margin")
            words = sorted(words, key=lambda w: w["y0"])
            for i, a in enumerate(words):
                for b in words[i + 1:]:
                    if b["y0"] >= a["y1"] - 0.5:  # this word and every one after it start below a
                        break
                    overlap_x = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                    overlap_y = min(a["y1"], b["y1"]) - max(a["y0"], b["y0"])
                    if overlap_x > 0.5 and overlap_y > 0.5:
                        problems.append(f"{entry['path']} p.{number}: '{a['text']}' printed over '{b['text']}'")
    assert not problems, "\n".join(problems[:20])


def test_unchanged_handouts_are_not_rendered_again(site, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a handout was rendered again although nothing changed")

    monkeypatch.setattr(handouts.weasy, "render_all", refuse)
    monkeypatch.setattr(pdfjoin, "join", refuse)
    ready = handouts.prepare(KIT, SITE_URL)  # the session's build left every handout in the cache
    assert {(r.handout.id, r.handout.lang, r.handout.paper, r.handout.print) for r in ready} == expected_catalogue()
    assert all(r.file.exists() for r in ready)
