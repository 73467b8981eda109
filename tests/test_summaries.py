"""« En bref » / "In short": the kit's summary in plain words, read on the built pages, projections
and PDFs as a participant meets it, and the schema that refuses a summary breaking the rules."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from helpers import ROOT, data, edit, normalize, page_file, pages_text, soup
from kit import addresses, pages, summary

KIT = data.load()
CONTENT_PAGES = ["gestion-et-gouvernance/", "assises-democratiques/", "enjeux/", "charlevoix/", "concertation/"]
WORKSHEET_PAGES = [f"fiches/{sheet.id}/" for sheet in KIT.worksheets]
PREFIXES = [addresses.prefix(lang) for lang in addresses.LANGS]  # "" and "en/"
SPACES = re.compile(r"[\s\u00a0\u202f]+")
CAPITALS = re.compile(r"\b[A-ZÀ-Ý]{2,}\b")


def reader_words(sentence: str) -> list[str]:
    """Words as a reader counts them: what stands between spaces, if it has a letter or a digit
    (« : — alone are not words; "l’équipe" is one)."""
    return [w for w in SPACES.split(sentence) if re.search(r"\w", w)]


def acronyms() -> set[str]:
    """Every acronym the glossary knows, in either language."""
    return {acronym for lang in addresses.LANGS for acronym in KIT.abbreviations(lang)}


def box_of(site: Path, address: str):
    """The page's article and its summary boxes."""
    article = soup(page_file(site, address)).select_one("article")
    return article, article.select(".kit-summary")


def sentences_of(box) -> list[str]:
    return [p.get_text(" ", strip=True) for p in box.select(".kit-summary-sentence")]


# ---- on the pages ----------------------------------------------------------------------------------

@pytest.mark.parametrize("address", CONTENT_PAGES + WORKSHEET_PAGES)
@pytest.mark.parametrize("prefix", PREFIXES)
def test_each_page_opens_with_one_summary_right_after_its_title(site, address, prefix):
    lang = addresses.lang_of(prefix + address)
    t = KIT.t(lang)
    article, boxes = box_of(site, prefix + address)
    assert len(boxes) == 1, f"/{prefix}{address}: {len(boxes)} summary boxes"
    box = boxes[0]
    after = article.find("h1").find_next_sibling()
    if "kit-listen" in after.get("class", []):  # the Listen controls, under the title (kit.listen)
        after = after.find_next_sibling()
    assert after is box, f"/{prefix}{address}: the summary is not right after the title"
    heading = box.find(["h2", "h3", "h4", "h5", "h6"])
    assert heading is not None and heading.name == "h2" and heading["id"] == "en-bref"
    assert heading.get_text(strip=True) == t["summary_heading"] and box["aria-labelledby"] == heading["id"]
    assert box.select_one(".kit-summary-note").get_text(strip=True) == t["summary_note"]
    assert box.find_parent("blockquote") is None and not box.select("blockquote, cite"), "the summary is not a quotation"
    words = box.get_text(" ").casefold()
    assert "facile à lire" not in words and "easy" not in words, "the European easy-to-read label is not claimed"


@pytest.mark.parametrize("address", CONTENT_PAGES + WORKSHEET_PAGES)
@pytest.mark.parametrize("prefix", PREFIXES)
def test_each_summary_keeps_the_plain_language_rules(site, address, prefix):
    _, boxes = box_of(site, prefix + address)
    sentences = sentences_of(boxes[0])
    assert 5 <= len(sentences) <= 8, f"/{prefix}{address}: {len(sentences)} sentences"
    known = acronyms()
    for sentence in sentences:
        words = reader_words(sentence)
        assert len(words) <= 20, f"/{prefix}{address}: {len(words)} words: {sentence}"
        assert re.search(r"[.!?…][»”)]*$", sentence) and not re.search(r"[.!?] [«“]?[A-ZÀ-Ý]", sentence), \
            f"/{prefix}{address}: not one sentence: {sentence}"
        tokens = {w.strip(".,;:!?«»“”()’'") for w in words}
        assert not tokens & known, f"/{prefix}{address}: acronym {tokens & known} in: {sentence}"
        assert not CAPITALS.search(sentence), f"/{prefix}{address}: capitals in: {sentence}"
    assert not boxes[0].select("abbr"), f"/{prefix}{address}: an acronym's tooltip in the summary"


def test_the_summary_on_a_page_is_the_one_its_data_gives(site):
    """The sentences shown are those of the worksheet data and of the page's front matter, in order."""
    for sheet in KIT.worksheets:
        for lang, prefix in zip(addresses.LANGS, PREFIXES):
            shown = sentences_of(box_of(site, f"{prefix}fiches/{sheet.id}/")[1][0])
            assert [normalize(s) for s in shown] == [normalize(s) for s in sheet.summary[lang]]
    from mkdocs.utils import meta as front_matter

    for address in CONTENT_PAGES:
        for prefix, suffix in zip(PREFIXES, (".md", ".en.md")):
            _, meta = front_matter.get_data((ROOT / "docs" / (address.rstrip("/") + suffix)).read_text(encoding="utf-8"))
            shown = sentences_of(box_of(site, prefix + address)[1][0])
            assert [normalize(s) for s in shown] == [normalize(s) for s in meta["summary"]]


def test_only_the_pages_that_carry_a_summary_show_one(site):
    for address in ["", "glossaire/", "sources/", "liens/", "fiches/"]:
        for prefix in PREFIXES:
            assert not box_of(site, prefix + address)[1], f"/{prefix}{address} shows a summary it has no data for"


# ---- on the projection and on paper ----------------------------------------------------------------

@pytest.mark.parametrize("sheet", KIT.worksheets, ids=[s.id for s in KIT.worksheets])
def test_the_projections_first_slide_opens_with_the_summary(site, sheet):
    for lang, prefix in zip(addresses.LANGS, PREFIXES):
        page = soup(page_file(site, f"{prefix}fiches/{sheet.id}/projection/"))
        slides = page.select("article .kit-slide")
        boxes = page.select("article .kit-summary")
        assert len(boxes) == 1 and boxes[0].find_parent(class_="kit-slide") is slides[0]
        assert slides[0].find(recursive=False) is boxes[0], "the summary comes first on the slide"
        assert boxes[0].select_one("h2").get_text(strip=True) == KIT.t(lang)["summary_heading"]
        assert [normalize(s) for s in sentences_of(boxes[0])] == [normalize(s) for s in sheet.summary[lang]]


def test_each_worksheet_pdf_opens_with_its_summary(site, manifest):
    checked = 0
    for entry in (e for e in manifest if e["kind"] == "worksheet"):
        sheet, lang = KIT.worksheet(entry["id"]), entry["lang"]
        first_page = normalize(pages_text(site / entry["path"])[0])
        first = normalize(sheet.summary[lang][0])
        assert first in first_page, f"{entry['path']}: the summary's first sentence is not on page 1"
        heading = normalize(KIT.t(lang)["summary_heading"])
        context = normalize(KIT.t(lang)["context"])  # in large print, the context may start on page 2
        before = first_page.index(context) if context in first_page else len(first_page)
        assert first_page.index(heading) < first_page.index(first) < before
        assert normalize(KIT.t(lang)["summary_note"]) in first_page
        checked += 1
    assert checked == len(KIT.worksheets) * len(addresses.LANGS) * len(addresses.editions())


# ---- the rules, refused when data or a page breaks them (no build needed) --------------------------

@pytest.fixture()
def data_copy(tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    return copy


def summary_lines(path: Path, lang: str) -> list[str]:
    """The lines of one language's summary in a worksheet file (to cut or lengthen them)."""
    text = path.read_text(encoding="utf-8")
    block = re.search(rf"^  {lang}:\n((?:    - .*\n)+)", text.split("summary:\n", 1)[1], re.M)
    return block.group(1).splitlines(keepends=True)


def load_error(folder: Path) -> str:
    with pytest.raises(data.KitError) as error:
        data.load(folder)
    return str(error.value)


def test_a_worksheet_summary_of_four_sentences_is_refused(data_copy):
    path = data_copy / "worksheets" / "echange-2.yml"
    lines = summary_lines(path, "fr")
    edit(path, "".join(lines), "".join(lines[:4]))
    message = load_error(data_copy)
    assert "worksheets/echange-2.yml:" in message and "field 'summary.fr'" in message
    assert "has 4 sentences; write 5 to 8" in message and "Traceback" not in message


def test_a_sentence_of_21_words_is_refused_with_its_file_field_and_number(data_copy):
    path = data_copy / "worksheets" / "gouvernance-partagee.yml"
    long = "There, " + " ".join(["many"] * 14) + " partners from the region work together."
    assert len(reader_words(long)) == 21
    edit(path, '"There, several partners from the region work together."', f'"{long}"')
    message = load_error(data_copy)
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text.strip() == "en:"
                and n > path.read_text(encoding="utf-8").splitlines().index("summary:"))
    assert f"worksheets/gouvernance-partagee.yml:{line}:" in message, message
    assert "field 'summary.en' sentence 2 has 21 words" in message and "split it in two" in message


def test_a_twenty_word_sentence_is_accepted():
    sentence = " ".join(["mot"] * 19) + " fin."
    assert len(summary.words(sentence)) == 20 and summary.problems([sentence] * 5) == []


def test_an_acronym_in_a_summary_is_refused(data_copy):
    path = data_copy / "worksheets" / "standardisation.yml"
    edit(path, "Le Regroupement des ressources alternatives y voyait un risque.", "Le RRASMQ y voyait un risque.")
    message = load_error(data_copy)
    assert "worksheets/standardisation.yml" in message and "sentence 3 uses the acronym RRASMQ" in message


def test_two_sentences_on_one_line_are_refused():
    found = summary.problems(["Une idée. Une autre idée."] + ["Une phrase."] * 4)
    assert found == ["sentence 1 (Une idée. Une autre idée.…) must be one sentence ending with . ! or ?; "
                     "put each sentence on its own line"]


def front_matter_problems(fr_summary, en_summary, page="enjeux") -> list[str]:
    """What the page check says of a content page whose two files carry these summaries (None: no field)."""
    def page_text(summary_lines, heading):
        field = "" if summary_lines is None else "summary:\n" + "".join(f'  - "{s}"\n' for s in summary_lines)
        return f"---\ntitle: T\ndescription: D\nsources: [\"002\"]\n{field}---\n\n# {heading} {{ #enjeux }}\n"
    contents = {f"{page}.md": page_text(fr_summary, "Titre"), f"{page}.en.md": page_text(en_summary, "Title")}
    return pages.translation_problems(contents)


def test_a_content_page_needs_its_summary_in_both_languages():
    five = [f"Phrase numéro {n} de ce résumé." for n in range(1, 6)]
    assert front_matter_problems(five, five) == []
    missing = front_matter_problems(None, None)
    assert len(missing) == 1 and "docs/enjeux.md and docs/enjeux.en.md: front matter has no 'summary'" in missing[0]
    one_language = front_matter_problems(five, None)
    assert len(one_language) == 1 and one_language[0].startswith("docs/enjeux.en.md: front matter has no 'summary' but docs/enjeux.md")
    assert front_matter_problems(None, None, page="glossaire") == [], "only the content pages must carry one"


def test_a_page_summary_breaking_the_rules_is_named():
    five = [f"Phrase numéro {n} de ce résumé." for n in range(1, 6)]
    problems = front_matter_problems(five, five[:3] + ["The NPM is here.", " ".join(["word"] * 21) + "."])
    assert problems == ["docs/enjeux.en.md: front matter 'summary' sentence 4 uses the acronym NPM; write the name out in everyday words.",
                        f"docs/enjeux.en.md: front matter 'summary' sentence 5 has 21 words ({' '.join(['word'] * 12)}…); "
                        "write at most 20: split it in two."]
