"""The small functions the build relies on, one rule at a time: typography, addresses, link
resolution, offline rewriting, data text."""

from __future__ import annotations

import json

import pytest

from helpers import ROOT  # noqa: F401  (puts the kit on sys.path)
from kit import addresses, links, offline, text, typography

NBSP = "\u00a0"


# ---- French typography ----------------------------------------------------------------------------

@pytest.mark.parametrize("before, after", [
    ("c'est", "c’est"),                                   # straight apostrophe between letters
    ("« bonjour »", f"«{NBSP}bonjour{NBSP}»"),            # inside guillemets
    ("«bonjour»", f"«{NBSP}bonjour{NBSP}»"),
    ("Pour qui :", f"Pour qui{NBSP}:"),                   # before a colon
    ("Pour qui:", f"Pour qui{NBSP}:"),                    # glued colon gets its space
    ("papier A4: oui", f"papier A4{NBSP}: oui"),          # after a number too
    ("de 9:30 à 10:00", "de 9:30 à 10:00"),               # not in times
    ("Vraiment ?", "Vraiment?"),                          # no space before ? ! ;
    ("Oui ! Non ; peut-être", "Oui! Non; peut-être"),
    ("https://example.org", "https://example.org"),       # addresses are left alone
])
def test_french_text(before, after):
    assert typography.french_text(before) == after


def test_french_html_leaves_tags_attributes_and_code_alone():
    html = '<p title="a : b">Texte : <code>x : y</code> <a href="l\'adresse">l\'aide</a></p><script>var a = "b : c";</script>'
    out = typography.french_html(html)
    assert 'title="a : b"' in out and "<code>x : y</code>" in out and 'href="l\'adresse"' in out
    assert f"Texte{NBSP}:" in out and "l’aide" in out and 'var a = "b : c";' in out


# ---- addresses -----------------------------------------------------------------------------------

@pytest.mark.parametrize("src, lang, url", [
    ("index.md", "fr", ""), ("index.md", "en", "en/"), ("charlevoix.md", "en", "en/charlevoix/"),
    ("fiches/index.md", "fr", "fiches/"), ("fiches/echange-1/projection.md", "fr", "fiches/echange-1/projection/"),
])
def test_page_addresses(src, lang, url):
    assert addresses.page(src, lang) == url
    assert addresses.page_of_source(src if lang == "fr" else src[:-3] + ".en.md") == url


@pytest.mark.parametrize("from_url, to_url, link", [
    ("fiches/echange-1/", "fiches/pdf/echange-1-letter.pdf", "../pdf/echange-1-letter.pdf"),
    ("", "en/", "en/"), ("en/charlevoix/", "en/sources/", "../sources/"), ("fiches/", "fiches/echange-1/", "echange-1/"),
])
def test_relative_links(from_url, to_url, link):
    assert addresses.relative(from_url, to_url) == link


def test_language_folders():
    assert [addresses.lang_of(u) for u in ("", "charlevoix/", "en/", "en/fiches/pdf/x.pdf", "enjeux/")] == ["fr", "fr", "en", "en", "fr"]
    assert addresses.unprefixed("en/fiches/x/") == "fiches/x/" and addresses.unprefixed("enjeux/") == "enjeux/"
    assert addresses.source_file("en/fiches/") == "docs/fiches/index.en.md"
    assert not addresses.is_slug_path("../x/") and not addresses.is_slug_path("a/../b") and addresses.is_slug_path("cas-charlevoix/")


# ---- link resolution -----------------------------------------------------------------------------

def test_links_resolve_like_a_browser(tmp_path):
    site = tmp_path
    (site / "enjeux").mkdir()
    (site / "enjeux" / "index.html").write_text("x", encoding="utf-8")
    resolve = lambda base, target, url="https://example.org/trousse/": links.resolve(site, base, target, url)  # noqa: E731
    assert resolve("charlevoix/", "../enjeux/#nouvelle") == (site / "enjeux" / "index.html", "nouvelle")
    assert resolve("charlevoix/", "#structure") == (None, "structure")
    assert resolve("charlevoix/", "https://example.org/trousse/enjeux/") == (site / "enjeux" / "index.html", "")
    assert resolve("charlevoix/", "/trousse/enjeux/") == (site / "enjeux" / "index.html", "")
    assert resolve("charlevoix/", "https://other.org/") is None and resolve("", "mailto:a@b.c") is None
    assert resolve("", "../../outside/")[0] == site / ".."  # climbs out: reported as missing


# ---- the offline kit -------------------------------------------------------------------------------

def test_offline_pages_link_to_files():
    html = ('<head></head><a href="../enjeux/">a</a><a href="./">b</a><a href="/trousse/en/">c</a>'
            '<a href="../assets/x.css">d</a><a href="#top">e</a><a href="https://other.org/">f</a>'
            '<p class="kit-offline-download"><a href="../trousse-hors-ligne.zip">zip</a></p>')
    out = offline.offline_page(html, depth=1, root="/trousse/")
    for expected in ('href="../enjeux/index.html"', 'href="./index.html"', 'href="../en/index.html"',
                     'href="../assets/x.css"', 'href="#top"', 'href="https://other.org/"'):
        assert expected in out, expected
    assert "trousse-hors-ligne.zip" not in out
    assert out.startswith('<head>\n<script src="../assets/javascripts/iframe-worker-shim.js"></script>')


def test_offline_search_results_open_files():
    index = {"config": {}, "docs": [{"location": ""}, {"location": "enjeux/#x"}, {"location": "enjeux/"}]}
    out = json.loads(offline.offline_index(json.dumps(index)))
    assert [d["location"] for d in out["docs"]] == ["index.html", "enjeux/index.html#x", "enjeux/index.html"]


# ---- data text ------------------------------------------------------------------------------------

def test_data_text_is_markdown_inline_without_html():
    assert text.html_in("a <script>x</script>") and text.html_in("<b>gras</b>") and not text.html_in("a < b, 3 <4")
    assert "'../page.md'" in text.forbidden_link_in("[x](../page.md)") and text.forbidden_link_in("[x](https://a.org)") is None
    assert str(text.inline("**gras** et *italique*")) == "<strong>gras</strong> et <em>italique</em>"
    assert "<abbr" in str(text.inline("la NGP", {"NGP": "nouvelle gestion publique"}))
    assert text.plain(f"**Le** «{NBSP}cas{NBSP}»") == f"Le «{NBSP}cas{NBSP}»"
    assert str(text.block("un\n\ndeux")).count("<p>") == 2


@pytest.mark.parametrize("html, french, left", [
    # English nested however deep, in any element, inside a French page
    ('<blockquote lang="en"><p>Note: it\'s <em>here</em>; really?</p></blockquote><p>Voir : ici</p>',
     [f"Voir{NBSP}:"], ["Note: it's", "; really?"]),
    ('<h2 lang="en-CA">Who: us</h2><p>Qui : nous</p>', [f"Qui{NBSP}:"], ["Who: us"]),
    ('<div lang="en"><section><div><p>Back: <span>home</span> !</p></div></section></div><p>Fin !</p>',
     ["Fin!"], ["Back: ", " !"]),
    # French again inside English inside French
    ('<div lang="en"><p>Title: <cite lang="fr">Le cas : Charlevoix</cite>, in French.</p></div>',
     [f"Le cas{NBSP}: Charlevoix"], ["Title: "]),
    # a void element or a self-closed one does not open a passage
    ('<p lang="en">One: <br>two: <img src="x" alt=""/> three: four</p><p>Cinq : six</p>',
     [f"Cinq{NBSP}:"], ["two: ", "three: four"]),
    # data-lang and hreflang are not languages
    ('<p data-lang="en">Note : oui</p><a hreflang="en" href="/en/">Voir : ici</a>', [f"Note{NBSP}:", f"Voir{NBSP}:"], []),
])
def test_typography_follows_the_nearest_declared_language(html, french, left):
    out = typography.french_html(html)
    for passage in french:
        assert passage in out, out
    for passage in left:
        assert passage in out, out


def test_an_english_page_gets_french_typography_only_in_french_passages():
    html = '<html lang="en"><body><p>Note: yes</p><p lang="fr">Oui ! Voir : ici</p></body></html>'
    out = typography.html(html, "en")
    assert "Note: yes" in out and f"Oui! Voir{NBSP}: ici" in out
    assert typography.html("<p>Note : yes !</p>", "en") == "<p>Note : yes !</p>"


def test_french_typography_leaves_english_passages_alone():
    html = '<p>Note : oui</p><td lang="en">Note: yes; really?</td><div lang="en"><p>Back: home</p></div>'
    out = typography.french_html(html)
    assert f"Note{NBSP}: oui" in out and '<td lang="en">Note: yes; really?</td>' in out and "Back: home" in out


# ---- the day's contact on the answer boxes ----------------------------------------------------------

def test_the_answer_boxes_name_the_days_contact_when_it_is_set():
    from kit import data, fiches, pages

    kit = data.load()
    sheet = kit.worksheet("echange-1")
    event = {"contact": {"fr": "Alex Tremblay, 418 555-0123", "en": "Alex Tremblay, 418-555-0123"}}
    assert pages.event_field(event, "contact", "en") == "Alex Tremblay, 418-555-0123"
    assert pages.event_field({"contact": "Alex"}, "contact", "fr") == "Alex"
    assert pages.event_field({}, "contact", "fr") == pages.event_field(None, "contact", "fr") == ""
    with_contact = fiches.page_markdown(kit, sheet, "page", "fr", "", pages.event_field(event, "contact", "fr"))
    assert 'data-kit-contact="Alex Tremblay, 418 555-0123"' in with_contact
    assert "data-kit-contact" not in fiches.page_markdown(kit, sheet, "page", "fr", "")


def test_a_printed_worksheet_page_names_its_pdf_where_a_reader_can_find_it():
    """On paper, the line pointing to the PDF gives the published address, or, in a build for the
    local preview, the file's path in the kit: never this computer's address."""
    from bs4 import BeautifulSoup

    from kit import data, fiches

    kit = data.load()
    sheet = kit.worksheet("echange-1")
    for site_url, expected in (("https://example.org/trousse/", "https://example.org/trousse/fiches/pdf/echange-1-letter.pdf"),
                               ("http://127.0.0.1:8000/", "fiches/pdf/echange-1-letter.pdf")):
        markdown = fiches.page_markdown(kit, sheet, "page", "fr", site_url)
        line = BeautifulSoup(markdown, "html.parser").select_one("p.kit-print-only").get_text()
        assert line.endswith(": " + expected), line
        assert "127.0.0.1" not in line


# ---- speed: what the warm build no longer does, and what it still refuses ----------------------------

def test_a_self_closing_tag_opens_no_passage_and_code_is_left_alone():
    html = '<p>Note : <span lang="en"/>oui : non <CODE>a : b</CODE> <br/>c : d</p>'
    assert typography.french_html(html) == (f'<p>Note{NBSP}: <span lang="en"/>oui{NBSP}: non <CODE>a : b</CODE> '
                                            f'<br/>c{NBSP}: d</p>')


def test_a_cache_entry_is_checked_by_its_stamp_then_by_its_digest(tmp_path, monkeypatch):
    import os

    from kit import cache

    path = tmp_path / "part.pdf"
    cache.write_bytes(path, b"%PDF-1.7 whole")
    cache.record(path, pages=1)
    with monkeypatch.context() as patch:  # unchanged: its size and modification time are enough
        patch.setattr(cache, "file_digest", lambda _path: pytest.fail("an unchanged entry was read through"))
        assert cache.entry(path)["pages"] == 1
    stamp = path.stat().st_mtime_ns
    path.write_bytes(b"%PDF-1.7 other")  # changed by hand, same size
    os.utime(path, ns=(stamp + 10**9, stamp + 10**9))
    assert cache.entry(path) is None, "a file changed in place was taken from the cache"
    path.write_bytes(b"%PDF-1.7 whole")  # the same bytes again, newer (copied back): its digest decides
    assert cache.entry(path)["pages"] == 1


def test_a_remembered_check_or_page_is_redone_when_the_page_or_the_kits_code_changes(tmp_path, monkeypatch):
    """kit.cache's memo: a warm build skips a check already passed, and a page already finished, only
    for the same input under the same code; entries unused for a week are pruned."""
    import os
    import time

    from kit import cache

    made = []
    make = lambda html: made.append(html) or html.upper()  # noqa: E731
    assert cache.made("page-fr", "<p>a</p>", make, root=tmp_path) == "<P>A</P>"
    assert cache.made("page-fr", "<p>a</p>", make, root=tmp_path) == "<P>A</P>" and made == ["<p>a</p>"]
    assert cache.made("page-fr", "<p>b</p>", make, root=tmp_path) == "<P>B</P>" and len(made) == 2
    for entry in (tmp_path / cache.MEMO / "page-fr").iterdir():  # changed by hand, then cut short
        entry.write_text(entry.read_text(encoding="utf-8").replace("<P>A</P>", "<P>X</P>"), encoding="utf-8")
    assert cache.made("page-fr", "<p>a</p>", make, root=tmp_path) == "<P>A</P>" and len(made) == 3
    for entry in (tmp_path / cache.MEMO / "page-fr").iterdir():
        entry.write_bytes(entry.read_bytes()[:40])
    assert cache.made("page-fr", "<p>a</p>", make, root=tmp_path) == "<P>A</P>" and len(made) == 4
    assert not cache.passed("links", "<a href=x>", root=tmp_path)
    cache.remember_passed("links", "<a href=x>", root=tmp_path)
    assert cache.passed("links", "<a href=x>", root=tmp_path) and not cache.passed("links", "<a href=y>", root=tmp_path)
    monkeypatch.setattr(cache, "_kit_code", lambda: "other code")
    assert not cache.passed("links", "<a href=x>", root=tmp_path)
    assert cache.made("page-fr", "<p>a</p>", make, root=tmp_path) == "<P>A</P>" and len(made) == 5
    old = time.time() - cache.MEMO_KEPT - 60
    entries = list((tmp_path / cache.MEMO).glob("*/*"))
    for entry in entries[:2]:
        os.utime(entry, (old, old))
    assert cache.prune_all(tmp_path) == 2
    assert len(list((tmp_path / cache.MEMO).glob("*/*"))) == len(entries) - 2


def test_handouts_of_a_local_preview_are_the_same_whatever_its_port(kit, tmp_path):
    """`make serve` on another port (the tests' serve takes a free one) reuses the handouts `make build`
    made: a local preview's address means nothing on paper, so every port gives the same parts."""
    from kit import handouts

    assert addresses.on_paper("https://www.example.org/trousse/") == "https://www.example.org/trousse/"
    made = [handouts.plan(kit, addresses.on_paper(url), tmp_path)[0]
            for url in (addresses.LOCAL_PREVIEW, "http://127.0.0.1:8765/", "http://localhost:9000/")]
    files = [{key: part.file for key, part in parts.items()} for parts in made]
    assert files[0] and files[1] == files[0] and files[2] == files[0]


def test_a_kept_reading_is_read_again_when_the_file_changes_or_its_entry_is_damaged(tmp_path, monkeypatch):
    import kept

    monkeypatch.setattr(kept, "FOLDER", tmp_path / "kept")
    calls = []

    @kept.kept
    def reading(path):
        calls.append(path)
        return {"text": path.read_text()}

    pdf = tmp_path / "fiche.pdf"
    pdf.write_text("un")
    assert reading(pdf) == {"text": "un"} and len(calls) == 1
    reading.cache_clear()  # a new session: read from the kept entry
    assert reading(pdf) == {"text": "un"} and len(calls) == 1
    pdf.write_text("deux")  # rewritten at the same path, in the same session: read again
    assert reading(pdf) == {"text": "deux"} and len(calls) == 2
    for entry in (tmp_path / "kept").iterdir():
        entry.write_text('{"text": "cou')  # cut short
    reading.cache_clear()
    assert reading(pdf) == {"text": "deux"} and len(calls) == 3


def test_a_kept_reading_by_another_tool_is_read_again_when_that_tool_changes(tmp_path, monkeypatch):
    import kept

    monkeypatch.setattr(kept, "FOLDER", tmp_path / "kept")
    calls, version = [], ["poppler 22"]

    def define():  # a new session: the decorator runs again, and asks the version again
        @kept.kept(tool=lambda: version[0])
        def reading(path):
            calls.append(path)
            return path.read_text()
        return reading

    pdf = tmp_path / "fiche.pdf"
    pdf.write_text("un")
    assert define()(pdf) == "un" and define()(pdf) == "un" and len(calls) == 1
    version[0] = "poppler 25"
    assert define()(pdf) == "un" and len(calls) == 2
