"""Sharing the kit: addresses that last, link previews, the links page, search by language."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from pypdf import PdfReader

import building
from helpers import SITE_URL, copy_project, edit, meta_of, page_addresses, page_file, published_addresses, soup
from kit import addresses, search

LINES = published_addresses()


@pytest.mark.parametrize("line", LINES)
def test_every_published_address_still_resolves(site, line):
    path, _, fragment = line.partition("#")
    variants = [path] if path.startswith("/en/") or not path.endswith("/") else [path, "/en" + path]
    for variant in variants:
        target = site / variant.lstrip("/")
        target = target / "index.html" if variant.endswith("/") else target
        assert target.exists(), f"{variant} no longer resolves: leave a redirect: a line `old/: new/` in data/redirects.yml"
        if fragment:
            assert soup(target).find(id=fragment), f"{variant}#{fragment}: the anchor is gone"


def test_every_page_has_a_link_preview(site):
    homes = {lang: meta_of(page_file(site, prefix))["description"] for lang, prefix in (("fr", ""), ("en", "en/"))}
    for address in page_addresses(site):
        html = soup(page_file(site, address))
        meta = {m.get("property") or m.get("name"): m.get("content") for m in html.find_all("meta")}
        lang = html.html["lang"]
        canonical = html.select_one('link[rel="canonical"]')["href"]
        assert canonical == SITE_URL + address
        assert meta["og:url"] == canonical
        assert meta["og:title"] and meta["og:description"] and meta["description"] == meta["og:description"]
        assert len(meta["description"]) > 30, f"/{address}: its description is too short (a page: `description:` in its front matter; a worksheet page or projection: made from data/worksheets/<id>.yml by kit/fiches.py)"
        if address not in ("", "en/"):
            assert meta["description"] != homes[lang], f"/{address} has no description of its own"
        assert meta["og:type"] == "website" and meta["og:site_name"]
        assert meta["og:locale"] == {"fr": "fr_CA", "en": "en_CA"}[lang]
        assert meta["og:locale:alternate"] == {"fr": "en_CA", "en": "fr_CA"}[lang]
        assert meta["og:image"] == SITE_URL + "assets/partage.png"
    assert (site / "assets" / "partage.png").stat().st_size > 10_000


def test_link_previews_speak_the_pages_language(site):
    fr = {m.get("property"): m.get("content") for m in soup(page_file(site, "charlevoix/")).find_all("meta")}
    en = {m.get("property"): m.get("content") for m in soup(page_file(site, "en/charlevoix/")).find_all("meta")}
    assert "Charlevoix" in fr["og:title"] and fr["og:title"] != en["og:title"]
    assert fr["og:site_name"].startswith("Gestion") and en["og:site_name"].startswith("Management")


@pytest.mark.parametrize("lang, prefix", [("fr", ""), ("en", "en/")])
def test_the_links_page_lists_every_page_and_handout_of_its_language(site, manifest, lang, prefix):
    text = soup(page_file(site, prefix + "liens/")).select_one("article").get_text(" ")
    listed = set(re.findall(r"https?://\S+", text))
    sitemap = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    mine = {url for url in sitemap if url.startswith(SITE_URL + prefix) and (prefix or not url.startswith(SITE_URL + "en/"))}
    assert mine and mine <= listed, f"missing: {sorted(mine - listed)}"
    handouts = {SITE_URL + entry["path"] for entry in manifest if entry["lang"] == lang}
    assert handouts <= listed, f"missing: {sorted(handouts - listed)}"
    english = {url for url in listed if url.startswith(SITE_URL + "en/")}
    assert (english == listed) if lang == "en" else not english, "each links page lists its own language only"


def test_the_links_page_is_grouped_as_the_navigation(site):
    groups = [h.get_text(strip=True).rstrip("¶") for h in soup(page_file(site, "liens/")).select("article h2")]
    assert groups == ["Pages", "Comprendre", "Fiches de discussion", "Ressources"]


@pytest.mark.parametrize("lang, prefix", [("fr", ""), ("en", "en/")])
def test_each_language_searches_its_own_pages(site, lang, prefix):
    index = json.loads((site / prefix / "search" / search.FULL).read_text(encoding="utf-8"))
    assert index["config"]["lang"] == [lang]
    locations = [doc["location"] for doc in index["docs"]]
    assert len(locations) > 40
    assert not any(location.startswith("en/") for location in locations)  # English locations are relative to /en/
    assert not any("projection/" in location for location in locations)  # the same text as the pages they project
    titles = " ".join(doc["title"] for doc in index["docs"])
    assert ("Mise en contexte" in titles) == (lang == "fr")
    assert ("Setting the scene" in titles) == (lang == "en")
    config = json.loads(soup(page_file(site, prefix + "charlevoix/")).select_one("#__config").string)
    assert config["base"] == ("../../en/" if lang == "en" else "..")  # from /en/charlevoix/, /en/ (a folder)


def test_no_page_invites_the_theme_to_fetch_missing_sitemaps(site):
    """Material's script fetches <href>/sitemap.xml for each link whose rel is exactly "alternate"."""
    for address in page_addresses(site):
        for link in soup(page_file(site, address)).find_all("link", hreflang=True):
            assert link.get("rel") == ["alternate"]  # one token for search engines…
        raw = page_file(site, address).read_text(encoding="utf-8")
        assert 'rel="alternate"' not in raw  # …but not the exact attribute the theme's script selects


def test_headings_offer_their_permalink(site):
    heading = soup(page_file(site, "concertation/")).select_one("h2#gouvernance-collective")
    assert heading.select_one("a.headerlink")["href"] == "#gouvernance-collective"


def test_the_offline_kit_works_from_a_folder(site, tmp_path):
    """Unzipped, every link of every page leads to a file (not a folder) inside the kit, the
    search index loads as a script in each language, and nothing comes from another host."""
    import zipfile
    from urllib.parse import urlsplit

    with zipfile.ZipFile(site / "trousse-hors-ligne.zip") as archive:
        archive.extractall(tmp_path)
    (kit,) = tmp_path.iterdir()
    pages = list(kit.rglob("*.html"))
    assert (kit / "index.html").exists() and len(pages) > 35
    for page in pages:
        html = soup(page)
        for element in html.find_all(["a", "link", "script", "img"]):
            value = element.get("href") or element.get("src")
            if not value or urlsplit(value).scheme in ("http", "https", "mailto", "data") or value.startswith("#"):
                continue
            assert not value.startswith("/"), f"{page}: {value} cannot work from a file"
            target = (page.parent / urlsplit(value).path).resolve()
            assert target.is_file(), f"{page.relative_to(kit)}: {value} does not lead to a file"
        for tag in html.find_all(["script", "img"], src=True):
            assert not urlsplit(tag["src"]).netloc
        assert html.find("script", src=re.compile(r"iframe-worker-shim\.js$"))
        assert not html.select(".kit-offline-download"), "the offline copy links to its own download"
    for prefix, lang in (("", "fr"), ("en/", "en")):
        script = (kit / prefix / "search" / "search_index.js").read_text(encoding="utf-8")
        assert script.startswith("var __index = ")
        index = json.loads(script[len("var __index = "):])
        assert index["config"]["lang"] == [lang]
        for doc in index["docs"]:  # a search result opens a page, not a folder listing
            assert (kit / prefix / doc["location"].split("#")[0]).is_file(), doc["location"]
    published = {entry["path"] for entry in json.loads((site / "handouts.json").read_text(encoding="utf-8"))}
    assert {p.relative_to(kit).as_posix() for p in kit.rglob("*.pdf")} == published


def test_the_guide_offers_the_offline_kit(site):
    for prefix in ("", "en/"):
        link = soup(page_file(site, prefix + "animation/")).select_one(".kit-offline-download a")
        assert (page_file(site, prefix + "animation/").parent / link["href"]).resolve() == (site / "trousse-hors-ligne.zip").resolve()


TITLES = {"fr": "Bilan du jour", "en": "Review of the day"}


@pytest.fixture(scope="module")
def changed(tmp_path_factory) -> Path:
    """One copy of the project carrying the changes of the three tests below, built once (a build
    takes seconds): the event set in mkdocs.yml, the Charlevoix page moved, a ninth worksheet added
    by the README's recipe. None of them reads what another changed."""
    project = copy_project(tmp_path_factory.mktemp("changed") / "project")
    config = project / "mkdocs.yml"
    edit(config, "  event: {}", '  event:\n    date: {fr: "Le jeudi 6 mai", en: "Thursday, May 6"}\n    place: "Salle Exemple"')
    # the page moved: renamed, its links and its menu line changed, one line in data/redirects.yml
    for path in list((project / "docs").rglob("*.md")) + list((project / "data").rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        if "charlevoix.md" in text:
            path.write_text(text.replace("(charlevoix.md", "(cas-charlevoix.md").replace(": charlevoix.md", ": cas-charlevoix.md"), encoding="utf-8")
    for suffix in (".md", ".en.md"):
        (project / "docs" / f"charlevoix{suffix}").rename(project / "docs" / f"cas-charlevoix{suffix}")
    edit(config, "Le cas de Charlevoix: charlevoix.md", "Le cas de Charlevoix: cas-charlevoix.md")
    (project / "data" / "redirects.yml").write_text("redirects:\n  charlevoix/: cas-charlevoix/\n", encoding="utf-8")
    # the worksheet added: a copy of echange-2 under a new id, and its line in index.yml
    folder = project / "data" / "worksheets"
    text = (folder / "echange-2.yml").read_text(encoding="utf-8").replace("id: echange-2", "id: bilan-du-jour", 1)
    text = text.replace('fr: "Échange 2 — Défis des pratiques internes"', f'fr: "{TITLES["fr"]}"', 1)
    text = text.replace('en: "Discussion 2 — Challenges of internal practices"', f'en: "{TITLES["en"]}"', 1)
    (folder / "bilan-du-jour.yml").write_text(text, encoding="utf-8")
    edit(folder / "index.yml", "  - espaces-de-concertation\n", "  - espaces-de-concertation\n  - bilan-du-jour\n")
    result = building.in_process(project, project / "site")
    assert result.returncode == 0, result.output[-2000:]
    return project


def test_the_event_shows_only_when_set(site, changed):
    assert not soup(page_file(site, "")).select(".kit-event")
    assert "communiqués par l’équipe" in soup(page_file(site, "animation/")).select_one("article").get_text()
    for prefix, date in (("", "Le jeudi 6 mai"), ("en/", "Thursday, May 6")):
        for address in ("", "animation/"):
            event = soup(page_file(changed / "site", prefix + address)).select_one(".kit-event").get_text(" ")
            assert date in event and "Salle Exemple" in event


def test_a_moved_page_leaves_redirects_in_both_languages(changed):
    """Rename a page and add one line to data/redirects.yml: both old addresses lead to the new pages."""
    built = changed / "site"
    for prefix in ("", "en/"):
        old = built / prefix / "charlevoix" / "index.html"
        refresh = soup(old).find("meta", attrs={"http-equiv": "refresh"})["content"]
        target = (old.parent / refresh.split("url=", 1)[1]).resolve()
        assert target == (built / prefix / "cas-charlevoix").resolve(), refresh
        assert (target / "index.html").exists()


def test_the_offline_kit_never_links_to_the_local_preview(site, tmp_path):
    """Built without SITE_URL, pages name the local preview (http://127.0.0.1:8000/) in their
    canonical and language links, and the 404 page links home there: the offline kit made from
    such a site links to its own files instead, on every page."""
    import shutil
    import zipfile

    from bs4 import BeautifulSoup

    from kit import offline

    local = "http://127.0.0.1:8000/"
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    for page in copy.rglob("*.html"):  # as a build without SITE_URL writes them
        page.write_text(page.read_text(encoding="utf-8").replace(SITE_URL, local), encoding="utf-8")
    assert local in (copy / "404.html").read_text(encoding="utf-8")
    offline.package(copy, local, cache_dir=tmp_path / "cache")
    with zipfile.ZipFile(copy / offline.NAME) as archive:
        pages = {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".html")}
    not_found = BeautifulSoup(pages[f"{offline.FOLDER}/404.html"], "html.parser")
    homes = [a["href"] for a in not_found.select("article a[href]")]
    assert homes == ["./index.html", "en/index.html"], homes
    for name, html in pages.items():
        for tag in BeautifulSoup(html, "html.parser").find_all(True):
            for attribute in ("href", "src", "content", "action"):
                assert "127.0.0.1" not in (tag.get(attribute) or ""), f"{name}: <{tag.name} {attribute}={tag[attribute]!r}>"


# The worksheets published when worksheet addresses became a pattern in published_addresses.txt.
# Their addresses stay guaranteed even if a YAML or a line of the file went: the newsletter links to them.
PUBLISHED_WORKSHEETS = ("echange-1", "echange-2", "echange-3", "soutien-communautaire", "nouvelle-gestion-publique",
                        "standardisation", "gouvernance-partagee", "espaces-de-concertation")


def test_the_published_worksheets_keep_their_addresses_in_the_contract():
    lines = set(LINES)
    for sheet in PUBLISHED_WORKSHEETS:
        for address in (f"/fiches/{sheet}/", f"/fiches/{sheet}/projection/", f"/fiches/pdf/{sheet}-letter.pdf",
                        f"/fiches/pdf/{sheet}-large-print.pdf", f"/en/fiches/pdf/{sheet}-a4.pdf"):
            assert address in lines, f"{address} left tests/published_addresses.txt: put '{sheet}' back on its '{{worksheet}} =' line"


def test_a_worksheet_is_added_with_its_yaml_and_its_index_line(changed):
    """The README's recipe, two files and nothing in docs/: a ninth worksheet, a copy of echange-2
    under a new id, gets its page, its projection, its PDFs, its place in the menu and in search,
    and its language links, in both languages."""
    folder, built, titles = changed / "data" / "worksheets", changed / "site", TITLES
    assert sorted(p.name for p in (changed / "docs" / "fiches").iterdir()) == ["index.en.md", "index.md"]
    order = yaml.safe_load((folder / "index.yml").read_text(encoding="utf-8"))["order"]
    for lang, prefix in (("fr", ""), ("en", "en/")):
        address = f"{prefix}fiches/bilan-du-jour/"
        page = soup(page_file(built, address))
        assert page.html["lang"] == lang and page.select_one("article h1").get_text(strip=True).startswith(titles[lang])
        projection = soup(page_file(built, address + "projection/"))
        assert titles[lang] in projection.title.get_text() and projection.html["lang"] == lang
        alternates = {link["hreflang"]: link["href"] for link in page.find_all("link", hreflang=True)}
        assert alternates["fr"] == SITE_URL + "fiches/bilan-du-jour/" and alternates["en"] == SITE_URL + "en/fiches/bilan-du-jour/"
        menu = [urljoin(SITE_URL + address, a["href"]) for a in page.select("nav.md-nav--primary a.md-nav__link[href]")]
        sheets = [url for url in dict.fromkeys(menu) if re.fullmatch(re.escape(SITE_URL + prefix) + r"fiches/[^/]+/", url)]
        assert sheets == [SITE_URL + addresses.worksheet(sheet, lang) for sheet in order], "the menu lists it last, as index.yml"
        pdfs = [a["href"] for a in page.select("article a[href$='.pdf']")]
        for edition in ("letter", "a4", "large-print"):
            pdf = built / prefix / "fiches" / "pdf" / f"bilan-du-jour-{edition}.pdf"
            assert titles[lang] in PdfReader(pdf).pages[0].extract_text(), f"{pdf.name} ({lang}) lacks its title"
            assert any(href.endswith(pdf.name) for href in pdfs), f"/{address} does not link to {pdf.name}"
        index = json.loads((built / prefix / "search" / search.FULL).read_text(encoding="utf-8"))
        assert any(doc["location"] == "fiches/bilan-du-jour/" and doc["title"] == titles[lang] for doc in index["docs"])
