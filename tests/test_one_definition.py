"""Papers and languages are written once (scripts/kit/addresses.py): the templates list what they
are handed, the scripts read the page, and file names of translations come from one rule.
These render templates directly (no site build)."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT
from kit import addresses, data, handouts, pages, templates

KIT = data.load()
SCRIPTS = ROOT / "docs" / "assets" / "javascripts"


@pytest.mark.parametrize("src, lang, translated", [
    ("charlevoix.md", "en", "charlevoix.en.md"),
    ("fiches/index.md", "en", "fiches/index.en.md"),
    ("index.md", "fr", "index.md"),
])
def test_a_pages_file_in_each_language_comes_from_one_rule(src, lang, translated):
    assert addresses.source(src, lang) == translated
    assert addresses.lang_of_source(translated) == lang and addresses.original(translated) == src
    assert addresses.page_of_source("docs/" + translated) == addresses.page(src, lang)
    with pytest.raises(ValueError, match="unknown language"):
        addresses.source(src, "de")


def test_translation_problems_follow_the_languages():
    french = "---\ntitle: T\ndescription: D\n---\n\n# T { #t }\n"
    problems = pages.translation_problems({"essai.md": french})
    assert problems == [f"docs/essai.md: no English translation; create docs/{addresses.source('essai.md', 'en')} "
                        "with the same headings and ids."]
    orphan = pages.translation_problems({addresses.source("seul.md", "en"): french})
    assert orphan and "without its French original docs/seul.md" in orphan[0]


def answer_form(sheet) -> BeautifulSoup:
    hrefs = {paper: f"../pdf/{sheet.id}-{paper}.pdf" for paper in addresses.PAPERS}
    html = templates.render("answers.html", sheet=sheet, lang="fr", t=KIT.t("fr"), abbr={}, download_name="x", contact="",
                            hrefs={**hrefs, "pdf_lib": "lib.js", "pdf_script": "pdf.js"})
    return BeautifulSoup(html, "html.parser").select_one("form.kit-answers")


def test_the_answer_form_offers_the_kits_papers_first_one_chosen():
    form = answer_form(KIT.worksheets[0])
    radios = form.select('input[name="kit-paper"]')
    assert [r["value"] for r in radios] == list(addresses.PAPERS)
    assert [r.has_attr("checked") for r in radios] == [True] + [False] * (len(addresses.PAPERS) - 1)
    for radio in radios:
        assert form[f"data-kit-pdf-{radio['value']}"].endswith(f"-{radio['value']}.pdf")
        assert radio.parent.get_text(strip=True) == KIT.t("fr")[f"paper_{radio['value']}"]


@pytest.mark.parametrize("paper", addresses.PAPERS)
def test_a_handout_is_laid_out_on_its_paper(paper):
    html = handouts._sheet_html(KIT, KIT.worksheets[0], "https://example.org/", "data:,", "participant",
                                lang="fr", paper=paper, large=False)
    assert re.search(rf"@page \{{ size: {paper}; \}}", html)


def test_editions_are_listed_from_addresses():
    listed = templates.editions()
    assert [(e["print"], e["paper"]) for e in listed] == addresses.editions()
    assert all(e["label"] in KIT.t("fr") for e in listed)
    assert [e["key"] for e in listed] == [addresses.edition(paper, print_) for print_, paper in addresses.editions()]


def test_the_terminology_table_has_a_column_per_language():
    html = templates.render("terminology.html", terms=KIT.terminology, lang="en", t=KIT.t("en"), abbr={})
    row = BeautifulSoup(html, "html.parser").select_one("tbody tr")
    assert [td.get("lang") for td in row.select("td")] == [*addresses.LANGS, None]


def test_the_scripts_spell_no_paper():
    for name in ("kit-answers.js", "kit-answers-pdf.js", "kit-synthese.js"):
        source = (SCRIPTS / name).read_text(encoding="utf-8")
        code = re.sub(r"/\*.*?\*/|//[^\n]*", "", source, flags=re.S)  # comments may name them
        assert not re.search(r"""["'`](?:letter|a4|A4)["'`]""", code), name
