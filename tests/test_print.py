"""Print that can be read, measured in the PDFs as a printer would print them: the size of every
character drawn, the size fields write at, the spacing of the answer lines, every acronym spelled
out on paper, the large-print editions listed wherever the handouts are."""

from __future__ import annotations

import hashlib
import re
from collections import Counter

import pytest
from pypdf import PdfReader

from helpers import SITE_URL, data, normalize, page_file, pages_text, soup
from kept import kept
from kit import addresses, text

KIT = data.load()
MM = 72 / 25.4  # points in a millimetre
LIMITS = {  # print: (body at least, nothing under), in points
    "standard": (12, 9),  # CNIB Clear Print
    "large": (18, 16),  # ACB and CCLVI large-print guidelines
}


def sizes_drawn(page) -> Counter:
    """The size of the characters a page draws, in points, counted by characters: the size set
    by Tf, scaled by the text matrix and the current transformation matrix."""
    counts: Counter = Counter()

    def visit(words, cm, tm, font, size):
        words = words.strip()
        if not words:
            return
        c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]  # the vertical axis of text space
        counts[round(size * (c * c + d * d) ** 0.5, 1)] += len(words)

    page.extract_text(visitor_text=visit)
    return counts


MEASURED: dict[bytes, Counter] = {}  # a pack draws its worksheets' pages again: each measured once


@kept
def sizes_by_page(path) -> list[dict[str, int]]:
    """sizes_drawn of each page of a PDF, {"12.0": characters}."""
    pages = []
    for page in PdfReader(path).pages:
        drawn = hashlib.sha256(page.get_contents().get_data()).digest()
        if drawn not in MEASURED:
            MEASURED[drawn] = sizes_drawn(page)
        pages.append({str(size): count for size, count in MEASURED[drawn].items()})
    return pages


@kept
def field_sizes(path) -> list[float]:
    """The size (in points) each text field writes at, from its /DA (0 would mean automatic)."""
    sizes = []
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/FT") == "/Tx":
                found = re.search(r"([\d.]+) Tf", str(annotation.get("/DA", "")))
                sizes.append(float(found.group(1)) if found else 0.0)
    return sizes


def line_spacings(reader: PdfReader) -> list[float]:
    """The spacing (in mm) of the ruled answer lines: the page draws them as a tiling pattern,
    one line a tile, whose height in page space is its /YStep scaled by its /Matrix."""
    spacings = []
    for page in reader.pages:
        for pattern in (page["/Resources"].get("/Pattern") or {}).values():
            pattern = pattern.get_object()
            if pattern.get("/PatternType") == 1:
                matrix = pattern["/Matrix"]
                scale = (float(matrix[2]) ** 2 + float(matrix[3]) ** 2) ** 0.5
                spacings.append(float(pattern["/YStep"]) * scale / MM)
    return spacings


def test_the_names_of_the_editions():
    assert addresses.editions() == [("standard", "letter"), ("standard", "a4"), ("large", "letter")]
    assert addresses.handout_name("echange-1", "letter", "large") == "echange-1-large-print.pdf"
    assert addresses.handout_name("echange-1", "a4") == "echange-1-a4.pdf"
    assert addresses.pack_name("participant", "letter", "large") == "pack-participant-large-print.pdf"
    with pytest.raises(ValueError):
        addresses.handout_name("echange-1", "a4", "large")  # large print is on Letter only


def test_every_row_of_the_manifest_says_its_print(manifest):
    assert all(entry["print"] in addresses.PRINTS for entry in manifest)
    large = [entry for entry in manifest if entry["print"] == "large"]
    assert {(e["id"], e["lang"]) for e in large} == {
        (key, lang) for lang in addresses.LANGS for key in [s.id for s in KIT.worksheets] + ["pack-participant"]}
    for entry in large:
        assert entry["paper"] == "letter"
        assert entry["path"] == addresses.prefix(entry["lang"]) + f"fiches/pdf/{entry['id']}-large-print.pdf"
    assert {e["path"] for e in manifest if e["print"] == "standard"} == {
        e["path"] for e in manifest if re.search(r"-(letter|a4)\.pdf$", e["path"])}


def test_characters_are_printed_large_enough(site, manifest):
    """Standard print: body at 12 pt or more, nothing under 9 pt (footers included); large
    print: body at 18 pt or more, nothing under 16 pt."""
    problems = []
    for entry in manifest:
        body_at_least, nothing_under = LIMITS[entry["print"]]
        counts: Counter = Counter()
        for number, sizes in enumerate(sizes_by_page(site / entry["path"]), 1):
            page_counts = Counter({float(size): count for size, count in sizes.items()})
            assert page_counts, f"{entry['path']} p.{number}: no text read"
            small = sorted(size for size in page_counts if size < nothing_under)
            if small:
                problems.append(f"{entry['path']} p.{number}: text at {small} pt")
            counts += page_counts
        body = counts.most_common(1)[0][0]
        if body < body_at_least:
            problems.append(f"{entry['path']}: body at {body} pt")
    assert not problems, "\n".join(problems[:20])


def test_fields_write_at_a_readable_size(site, manifest):
    for entry in manifest:
        sizes = field_sizes(site / entry["path"])
        assert sizes, entry["path"]
        least = LIMITS[entry["print"]][0] if entry["print"] == "standard" else 16
        assert min(sizes) >= least, f"{entry['path']}: a field writes at {min(sizes)} pt"


def test_large_print_answer_lines_are_12_mm_apart(site, manifest):
    for entry in (e for e in manifest if e["print"] == "large"):
        spacings = line_spacings(PdfReader(site / entry["path"]))
        sheets = KIT.worksheets if entry["kind"] == "pack" else [KIT.worksheet(entry["id"])]
        assert len(spacings) >= sum(len(s.questions) + 1 for s in sheets), f"{entry['path']}: ruled spaces missing"
        assert min(spacings) >= 12, f"{entry['path']}: answer lines {min(spacings):.1f} mm apart"


def test_standard_answer_lines_keep_their_spacing(site, manifest):
    """The measure above can fail: the standard edition's lines are 8 mm apart."""
    entry = next(e for e in manifest if e["print"] == "standard" and e["kind"] == "worksheet")
    assert {round(s, 1) for s in line_spacings(PdfReader(site / entry["path"]))} == {8.0}


def acronyms_in(words: str, lang: str) -> list[str]:
    return text.acronyms_in(words, KIT.abbreviations(lang))


def expansion(acronym: str, lang: str) -> str:
    return normalize(text.plain(KIT.abbreviations(lang)[acronym]))


def test_every_acronym_a_worksheet_prints_is_spelled_out_on_its_first_page(site, manifest):
    seen = set()
    for entry in (e for e in manifest if e["kind"] == "worksheet"):
        pages = pages_text(site / entry["path"])
        first = normalize(pages[0])
        found = acronyms_in(" ".join(pages), entry["lang"])
        seen |= set(found)
        missing = [a for a in found if expansion(a, entry["lang"]) not in first]
        assert not missing, f"{entry['path']}: {missing} not spelled out on the first page"
    assert {"RRASMQ", "MSSS", "CSSS", "CNESM", "SIV", "NGP"} <= seen, "the worksheets' acronyms were not found"


def opening_pages(printed: tuple[str, ...], lang: str) -> str:
    """The text of a participants' pack before its first worksheet."""
    kicker = normalize(KIT.t(lang)["worksheet"])
    pages = []
    for page in printed:
        words = normalize(page)
        if kicker in words:
            break
        pages.append(words)
    return " ".join(pages)


def test_the_participants_pack_opens_with_the_key_terms_and_every_acronym(site, manifest):
    for entry in (e for e in manifest if e["id"] == "pack-participant"):
        lang = entry["lang"]
        printed = pages_text(site / entry["path"])
        opening = opening_pages(printed, lang)
        alternative = next(e for e in KIT.glossary if e.id == "alternative")[lang]
        assert normalize(alternative.term) in opening and normalize(text.plain(alternative.definition))[:80] in opening
        for term in (e[lang] for e in KIT.glossary if e.in_pack):
            assert normalize(term.term) in opening, f"{entry['path']}: {term.term}"
        found = acronyms_in(" ".join(printed), lang)
        assert found, entry["path"]
        missing = [a for a in found if expansion(a, lang) not in opening]
        assert not missing, f"{entry['path']}: {missing} not spelled out before the first worksheet"


def test_every_acronym_of_every_handout_is_spelled_out_in_it(site, manifest):
    for entry in manifest:
        printed = " ".join(pages_text(site / entry["path"]))
        words = normalize(printed)
        missing = [a for a in acronyms_in(printed, entry["lang"]) if expansion(a, entry["lang"]) not in words]
        assert not missing, f"{entry['path']}: {missing}"


def linked_files(path) -> set:
    """The files a page's content links to, resolved."""
    return {(path.parent / a["href"]).resolve() for a in soup(path).select("article a[href]")
            if not a["href"].startswith(("http:", "https:", "#"))}


@pytest.mark.parametrize("lang", addresses.LANGS)
def test_large_print_is_listed_on_worksheet_pages_fiches_and_links(site, manifest, lang):
    large = [e for e in manifest if e["print"] == "large" and e["lang"] == lang]
    fiches = linked_files(page_file(site, addresses.prefix(lang) + "fiches/"))
    links = soup(page_file(site, addresses.prefix(lang) + "liens/")).get_text(" ")
    label = KIT.t(lang)["print_large"]
    for entry in large:
        target = (site / entry["path"]).resolve()
        assert target.exists()
        assert target in fiches, f"/fiches/ does not link {entry['path']}"
        assert SITE_URL + entry["path"] in links, f"/liens/ does not list {entry['path']}"
        if entry["kind"] == "worksheet":
            page = page_file(site, entry["page"])
            anchors = [a for a in soup(page).select("article a[href]") if (page.parent / a["href"]).resolve() == target]
            assert anchors and label in anchors[0].get_text(), f"{entry['page']}: no '{label}' link"


def test_a_filled_large_print_handout_is_collected_like_the_others(site, manifest, tmp_path):
    from fill import answers_for, fill
    from kit import collect

    entry = next(e for e in manifest if e["print"] == "large" and e["id"] == "espaces-de-concertation" and e["lang"] == "en")
    source = site / entry["path"]
    values = answers_for(source, "Large print group", 3)
    fill(source, tmp_path / "filled.pdf", values)
    reading = collect.read(tmp_path, KIT)
    assert reading.read == 1 and not reading.not_read
    assert {a.group for a in reading.answers} == {"Large print group"}
    written = {a.answer for a in reading.answers if not a.question.endswith("choice")}
    assert {v for k, v in values.items() if not v.startswith("/") and not k.endswith("-group")} <= written
