"""The bilingual site as a reader meets it: addresses, languages, alternates, privacy."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

from helpers import SITE_URL, label, page_addresses, page_file, published_addresses, soup
from kit import addresses


def published_pages() -> list[str]:
    """French page addresses from the list of published addresses (English adds en/)."""
    return [line.strip("/") + "/" if line.strip("/") else "" for line in published_addresses()
            if line.endswith("/") and not line.startswith("/en/")]


PAGES = published_pages()


def test_the_address_list_is_the_contract():
    """The content notes' addresses are all in the list (it can only grow)."""
    for address in ["", "gestion-et-gouvernance/", "assises-democratiques/", "enjeux/", "charlevoix/",
                    "concertation/", "glossaire/", "sources/", "fiches/", "fiches/echange-1/"]:
        assert address in PAGES


@pytest.mark.parametrize("address", PAGES)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_exists_in_both_languages_with_its_lang(site, address, lang):
    path = page_file(site, ("en/" if lang == "en" else "") + address)
    assert path.exists(), f"/{'en/' if lang == 'en' else ''}{address} was not built"
    html = soup(path)
    assert html.html["lang"] == lang
    assert html.select_one("article h1"), "page without a title"


@pytest.mark.parametrize("address", PAGES)
def test_french_and_english_pages_have_the_same_heading_ids(site, address):
    ids = []
    for prefix in ("", "en/"):
        article = soup(page_file(site, prefix + address)).select_one("article.md-content__inner")
        ids.append([h["id"] for h in article.select("h1, h2, h3, h4, h5, h6") if h.get("id")])
    assert ids[0] == ids[1], f"/{address}: {ids[0]} (fr) vs {ids[1]} (en)"
    assert ids[0], f"/{address} has no heading ids"


def test_every_built_page_is_in_the_published_addresses(site):
    """A page built but missing from tests/published_addresses.txt would lose its protection."""
    listed = set(PAGES)
    built = {address for address in page_addresses(site) if not address.startswith("en/")}
    assert built - listed == set(), f"add these to tests/published_addresses.txt: {sorted(built - listed)}"
    english = {address[3:] for address in page_addresses(site) if address.startswith("en/")}
    assert english == built, "every page exists in both languages"


@pytest.mark.parametrize("address", PAGES)
def test_hreflang_alternates_are_absolute_with_x_default(site, address):
    for prefix in ("", "en/"):
        links = {link["hreflang"]: link["href"] for link in soup(page_file(site, prefix + address)).select('link[rel="alternate"][hreflang]')}
        assert links == {
            "fr": SITE_URL + address,
            "en": SITE_URL + "en/" + address,
            "x-default": SITE_URL + address,
        }, f"/{prefix}{address}"


def test_the_language_switcher_leads_to_the_same_page(site):
    for address in PAGES:
        if address.endswith("/projection/"):
            continue  # for a projector: no menus at all (tests/test_answers.py)
        for prefix, other in (("", "en"), ("en/", "fr")):
            switch = soup(page_file(site, prefix + address)).select_one(f'.md-select__link[hreflang="{other}"]')
            target = urljoin(SITE_URL + prefix + address, switch["href"])
            assert target == SITE_URL + ("en/" if other == "en" else "") + address, f"/{prefix}{address}"


def test_the_404_page_speaks_french_and_english(site):
    html = soup(site / "404.html")
    assert html.html["lang"] == "fr"
    assert html.select_one("article h1").get_text(strip=True).startswith(label("not_found", "fr"))
    english = html.select_one('article [lang="en"]')
    assert label("not_found", "en") in english.get_text()
    assert english.select_one("a")["href"] == SITE_URL + "en/"
    assert not (site / "en" / "404.html").exists()


LOADING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src", "audio": "src",
           "embed": "src", "object": "data"}


def test_no_page_loads_anything_from_another_host(site):
    """No fonts, scripts, images or styles from elsewhere: nothing leaves the reader's machine."""
    pages = list(site.rglob("*.html"))
    assert len(pages) > 30
    for path in pages:
        html = soup(path)
        for tag, attribute in LOADING.items():
            for element in html.find_all(tag):
                value = element.get(attribute) or ""
                assert not urlsplit(value).netloc, f"{path}: <{tag} {attribute}={value}>"
        for link in html.find_all("link"):
            rel = " ".join(link.get("rel", []))
            if rel in ("canonical", "alternate", "prev", "next"):
                continue  # addresses, not loaded
            assert not urlsplit(link.get("href", "")).netloc, f"{path}: <link rel={rel} href={link['href']}>"
        for style in html.find_all(style=True):
            assert "url(" not in style["style"] or "http" not in style["style"]
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), f"{css} loads from another host"
        assert "@import" not in text or not re.search(r"@import\s+url\(\s*['\"]?(https?:)?//", text)
    for script in site.rglob("*.js"):
        assert "fonts.googleapis" not in script.read_text(encoding="utf-8", errors="ignore")


def test_acronyms_are_explained_where_they_appear(site):
    html = soup(page_file(site, "enjeux/"))
    titles = {abbr.get_text(): abbr["title"] for abbr in html.select("article abbr")}
    assert titles["RRASMQ"].startswith("Regroupement des ressources alternatives")
    assert titles["NGP"] == "nouvelle gestion publique"
    english = {abbr.get_text(): abbr["title"] for abbr in soup(page_file(site, "en/enjeux/")).select("article abbr")}
    assert english["NPM"].startswith("New Public Management")


def test_every_content_page_names_its_source_and_date(site):
    for address in ["gestion-et-gouvernance/", "assises-democratiques/", "enjeux/", "charlevoix/", "concertation/"]:
        for prefix in ("", "en/"):
            box = soup(page_file(site, prefix + address)).select_one("article .admonition.quote")
            assert box is not None, f"/{prefix}{address} has no source box"
            assert re.search(r"(19|20)\d\d|non daté|undated", box.get_text()), box.get_text()


def test_french_text_follows_oqlf_typography(site):
    text = soup(page_file(site, "gestion-et-gouvernance/")).select_one("article").get_text()
    assert "c’est\u00a0:" in text  # non-breaking space before a colon
    assert "«\u00a0Il n’y a pas" in text  # and inside guillemets
    assert not re.search(r"[ \u00a0\u202f][;!?]", text)  # none before ; ! ?
    assert "'" not in text.replace("’", "")  # one apostrophe
    generated = soup(page_file(site, "fiches/espaces-de-concertation/")).select_one("article").get_text()
    for shown in (label("who", "fr") + "\u00a0:", label("duration", "fr") + "\u00a0:", label("privacy", "fr")):  # from templates
        assert shown in generated, shown
    assert "navigateur\u00a0:" in label("privacy", "fr"), "the label still shows a colon's spacing"
    assert not re.search(r"\w:", generated.replace("http:", "").replace("https:", ""))


def test_the_charlevoix_diagram_is_accessible_and_self_contained(site):
    for prefix, lang, box in (("", "fr", "Assemblée des partenaires"), ("en/", "en", "Partners’ assembly")):
        img = soup(page_file(site, prefix + "charlevoix/")).select_one("figure.diagram img")
        assert len(img["alt"]) > 40
        svg = (page_file(site, prefix + "charlevoix/").parent / img["src"]).resolve()
        text = svg.read_text(encoding="utf-8")
        assert "<title" in text and "<desc" in text and f'lang="{lang}"' in text
        assert box in text  # real text, not paths
        assert "http://www.w3.org/2000/svg" in text and not re.search(r'(href|src)="https?:', text)


def test_references_are_structured_entries_without_invented_addresses(site):
    article = soup(page_file(site, "concertation/")).select_one("article")
    groups = [h.get_text(strip=True).rstrip("¶") for h in article.select("h3")]
    assert groups[:4] == ["Des outils pratiques", "Des illustrations concrètes", "Des références de base",
                          "Une suggestion pour aller plus loin"]
    assert "PAGSIS" in article.get_text() and "PAGESIS" in article.get_text()  # corrected, and said so
    outside = [a["href"] for a in article.select("a[href]") if urlsplit(a["href"]).netloc]
    assert outside == [], "the sources give no web address: none may be invented"


# ---- what readers meet (issue: phones, printers, words on the page) ---------------------------------

CONTENT_PAGES = ["gestion-et-gouvernance/", "assises-democratiques/", "enjeux/", "charlevoix/", "concertation/"]


@pytest.mark.parametrize("address", CONTENT_PAGES + ["fiches/echange-1/"])
def test_each_page_opens_with_its_text_and_names_its_source_after_it(site, address):
    for prefix in ("", "en/"):
        article = soup(page_file(site, prefix + address)).select_one("article")
        blocks = [el for el in article.find_all(recursive=False) if el.name not in ("script", "style")]
        assert blocks[0].name == "h1" and "kit-source" not in " ".join(blocks[1].get("class", []))
        source = article.select(".kit-source")
        assert len(source) == 1 and source[0] is article.select(".admonition")[-1], "the source box comes after the text"
    english = soup(page_file(site, "en/" + address)).select_one(".kit-source").get_text(" ")
    assert label("translation_note", "en") in english


def test_the_charlevoix_diagram_can_be_seen_full_size(site):
    for prefix in ("", "en/"):
        page = page_file(site, prefix + "charlevoix/")
        link = soup(page).select_one("a.kit-full-size")
        assert link["href"].endswith("charlevoix.svg") and (page.parent / link["href"]).resolve().is_file()


def test_french_pages_speak_french_in_their_footer(site):
    for address in page_addresses(site):
        html = soup(page_file(site, address))
        footer = html.select_one(".md-copyright")
        if footer is None:
            continue  # the projection pages have no footer
        assert "Made with" not in footer.get_text()
        link = footer.select_one("a")
        target = (page_file(site, address).parent / link["href"]).resolve()
        assert target == (site / ("en/" if address.startswith("en/") else "") / "sources").resolve(), address
        assert label("footer_sources", addresses.lang_of(address)) in link.get_text()


def test_the_sources_page_names_documents_by_their_titles(site):
    for prefix in ("", "en/"):
        text = soup(page_file(site, prefix + "sources/")).select_one("article").get_text(" ")
        assert not re.search(r"(?<![\w-])00[0-4](?![\w-])", text), "document numbers are jargon: use their titles"
        assert "extraction" not in text.lower()
        corrections = soup(page_file(site, prefix + "sources/")).select("table.kit-corrections cite")
        assert corrections and all(c.get_text().startswith(("Gestion", "Pour mieux", "Agir", "Avoir")) for c in corrections)


def test_labels_follow_one_typography(site):
    text = soup(page_file(site, "liens/")).select_one("article").get_text()
    assert all(f"{label('paper_' + paper, 'fr')}\u00a0:" in text for paper in addresses.PAPERS)
    for address in page_addresses(site):
        if not address.startswith("en/"):
            body = soup(page_file(site, address)).select_one("article").get_text()
            assert not re.search(r"[ \u00a0\u202f][;!?]", body), f"/{address}: a space before ; ! ?"


def test_each_worksheet_title_is_spelt_one_way(site):
    from helpers import data

    for sheet in data.load().worksheets:
        for prefix in ("", "en/"):
            expected = soup(page_file(site, f"{prefix}fiches/{sheet.id}/")).select_one("article h1").get_text(strip=True).rstrip("¶")
            listing = soup(page_file(site, prefix + "fiches/")).select_one(f"h3#{sheet.id}").get_text(strip=True).rstrip("¶")
            assert listing == expected, (listing, expected)


def test_the_packs_come_first_on_the_worksheets_page(site):
    for prefix in ("", "en/"):
        ids = [h["id"] for h in soup(page_file(site, prefix + "fiches/")).select("article h2")]
        assert ids == ["trousses", "toutes"]


def test_the_404_page_is_titled_in_both_languages(site):
    assert soup(site / "404.html").title.get_text().startswith(f"{label('not_found', 'fr')} / {label('not_found', 'en')}")


def test_every_dialog_has_an_accessible_name(site):
    """Screen readers announce a dialog by its name (the theme's search dialog had none)."""
    for address in page_addresses(site):
        for dialog in soup(page_file(site, address)).select('[role="dialog"], dialog'):
            name = dialog.get("aria-label", "").strip() or dialog.get("aria-labelledby", "").strip()
            assert name, f"/{address}: a dialog without a name: {str(dialog)[:120]}"
