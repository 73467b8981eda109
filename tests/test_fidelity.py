"""Fidelity to the source documents, read on the built French site."""

from __future__ import annotations

import re

import pytest

from helpers import content_text, normalize, page_file, seed_text, soup

QUOTED_PAGES = {  # page: (seed, least number of quotations it carries)
    "gestion-et-gouvernance/": ("000", 1),
    "assises-democratiques/": ("000", 2),
    "enjeux/": ("002", 5),
    "charlevoix/": ("003", 1),
}


@pytest.mark.parametrize("address", QUOTED_PAGES)
def test_every_quotation_is_word_for_word(site, address):
    """Each paragraph of each blockquote (its source line aside) is in the corrected source text."""
    seed, least = QUOTED_PAGES[address]
    source = normalize(seed_text(seed))
    quotes = soup(page_file(site, address)).select("article blockquote")
    assert len(quotes) >= least
    for quote in quotes:
        paragraphs = [p.get_text() for p in quote.find_all("p")]
        sources = [p for p in paragraphs if p.lstrip().startswith("—")]
        assert sources == paragraphs[-1:], f"/{address}: one quotation a blockquote, ending with its source line: {paragraphs}"
        for paragraph in paragraphs[:-1]:
            words = normalize(paragraph).strip("«» ")
            assert words in source, f"/{address}: not word for word in seed {seed}: {paragraph[:120]}"


def test_english_quotations_are_marked_as_translations(site):
    for address in QUOTED_PAGES:
        for quote in soup(page_file(site, "en/" + address)).select("article blockquote"):
            assert "(our translation)" in quote.get_text(), f"/en/{address}: {quote.get_text()[:80]}"


def test_every_sentence_of_the_sources_reaches_the_french_site(site):
    """Slide a six-word window over each source; no run of eight uncovered words may remain.

    Shorter gaps are headings and citation lines laid out differently; a dropped sentence of
    eight words or more shows up here with its words."""
    pages = [p for p in site.rglob("index.html") if not p.relative_to(site).as_posix().startswith("en/")]
    site_text = normalize(" ".join(content_text(p) for p in pages))
    window = 6
    for seed in ("000", "002", "003", "004"):
        words = normalize(seed_text(seed)).split()
        covered = [False] * len(words)
        for start in range(len(words) - window + 1):
            if " ".join(words[start:start + window]) in site_text:
                covered[start:start + window] = [True] * window
        text = "".join("1" if c else "0" for c in covered)
        missing = [" ".join(words[m.start():m.end()]) for m in re.finditer(r"0{8,}", text)]
        assert not missing, f"seed {seed}: not on the French site: {missing}"
        assert covered.count(True) > 0.9 * len(words), f"seed {seed}: too little of it found"


def test_the_facilitators_answer_is_kept_from_the_public_pages(site):
    answer = "la table profite du soutien d'une équipe de liaison"
    assert answer not in normalize(content_text(page_file(site, "charlevoix/")))
    block = soup(page_file(site, "fiches/gouvernance-partagee/")).select_one("article details.kit-source-answer")
    assert answer in normalize(block.get_text())


def test_corrections_are_listed_on_the_sources_page(site):
    text = normalize(content_text(page_file(site, "sources/")))
    for wrong, right in [("faite-t-elle", "fait-elle"), ("ingénirie", "ingénierie"), ("indficateurs", "indicateurs"),
                         ("pagesis", "pagsis"), ("dans toute nos actions", "dans toutes nos actions")]:
        assert wrong in text and right in text
