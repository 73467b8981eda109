"""Bad input: every mistake stops the build with a message naming the file (and line, entry and
field) and what to do, without a traceback, and publishes nothing; or it is made harmless.

Each class of fault is planted at least twice. Whole builds run on a copy of the project, in the
test's process (building.py), and one as the command line, in a process of its own (its exit code
and what it prints are then the point); faults in the data files alone are also read directly with
`kit.data.load` on a copy of data/, which is the same check the build makes first (and much quicker)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

import building
from helpers import ROOT, copy_project, edit, meta_of, page_file, require, run_build, soup, words_on_pages
from kit import data


def build_fails(project, *needles, site_url=None, command=False):
    """The build of `project` stops, saying each needle, without a traceback, publishing nothing: in
    this process, or with `command` as `scripts/build.py build` in a process of its own."""
    site = project / "site"
    options = {"site_url": site_url} if site_url else {}
    if command:
        result = run_build(site, cwd=project, **options)
        output = result.stdout + result.stderr
    else:
        result = building.in_process(project, site, **options)
        output = result.output
    assert result.returncode != 0, f"the build should have failed:\n{output[-2000:]}"
    for needle in needles:
        assert needle in output, f"{needle!r} not in the error:\n{output[-2000:]}"
    assert "Traceback" not in output, f"a content mistake must not end in a traceback:\n{output[-3000:]}"
    assert not (project / "site").exists() and not (project / "site.partial").exists(), "something was published"
    return output


@pytest.fixture()
def data_copy(tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    return copy


def load_fails(folder: Path, path: str, old: str, new: str, *needles: str) -> str:
    edit(folder / path, old, new)
    with pytest.raises(data.KitError) as error:
        data.load(folder)
    message = str(error.value)
    for needle in needles:
        assert needle in message, f"{needle!r} not in: {message}"
    return message


# ---- text that reaches HTML or PDF ------------------------------------------------------------------

def test_raw_html_in_a_worksheet_question_stops_the_build(project_copy):
    edit(project_copy / "data" / "worksheets" / "echange-2.yml", '  - fr: "En regard', '  - fr: "<script>alert(1)</script>En regard')
    build_fails(project_copy, "data/worksheets/echange-2.yml:", "question 1", "field 'fr' contains HTML", "<script>", command=True)


def test_raw_html_in_a_glossary_definition_is_refused(data_copy):
    load_fails(data_copy, "glossary.yml", "definition: Regroupement de municipalités", "definition: <b>Regroupement</b> de municipalités",
               "data/glossary.yml:", "entry 'mrc'", "field 'fr.definition' contains HTML")


def test_a_local_link_in_data_text_is_refused(data_copy):
    load_fails(data_copy, "worksheets/echange-3.yml", '  fr: "Votre espace!', '  fr: "[Voir](../enjeux.md) Votre espace!',
               "worksheets/echange-3.yml", "field 'notes.fr' links to '../enjeux.md'")


@pytest.fixture(scope="module")
def changed(tmp_path_factory) -> Path:
    """The site of one copy of the project carrying the harmless changes of the tests below, built
    once (a build takes seconds): each touches words of its own that the others do not read."""
    project = copy_project(tmp_path_factory.mktemp("changed") / "project")
    charlevoix, sheets = project / "docs" / "charlevoix.md", project / "data" / "worksheets"
    # a quotation mark in a description
    edit(charlevoix, "description: Le cas de Charlevoix,", "description: 'Le \"cas\" & le cas de Charlevoix,")
    edit(charlevoix, "d’une démarche territoriale.\n", "d’une démarche territoriale.'\n")
    # Markdown in a worksheet's text
    edit(sheets / "echange-3.yml", "Comment lier les pratiques", "Comment **vraiment** lier les pratiques")
    # questions of 3,000 characters
    edit(sheets / "echange-2.yml", '  - fr: "En regard des pratiques', f'  - fr: "{LONG_FR} En regard des pratiques')
    edit(sheets / "echange-3.yml", '    en: "How can management', f'    en: "{LONG_EN} How can management')
    edit(sheets / "echange-3.yml", "    lines: 10", "    lines: 20")
    # a link to a missing page in raw HTML, which MkDocs does not check
    edit(project / "docs" / "index.md", "## Comment l’utiliser", '<a href="perdu/">perdu</a>\n\n## Comment l’utiliser')
    site = project / "site"
    result = building.in_process(project, site)
    assert result.returncode == 0, result.output[-2000:]
    return site


LONG_FR = ("Comment votre ressource partage-t-elle les décisions avec les membres et l’équipe ? " * 40)[:2990] + " finfr"
LONG_EN = ("How does your resource share decisions with members, staff and the board? " * 45)[:2990] + " finen"


def test_a_quotation_mark_in_a_description_cannot_cut_the_link_preview(changed):
    meta = meta_of(page_file(changed, "charlevoix/"))
    assert meta["description"].startswith('Le "cas" & le cas de Charlevoix,') and meta["description"].endswith("territoriale.")
    assert meta["og:description"] == meta["description"]


def test_make_build_check_fails_on_a_raw_html_link(changed):
    """A link in raw HTML passes MkDocs' own validation (the build above succeeded); the kit's check,
    as the command line runs it, catches it and names the page's source."""
    result = subprocess.run([sys.executable, "scripts/build.py", "--site", str(changed), "check"],
                            cwd=changed.parent, capture_output=True, text=True)
    assert result.returncode == 1
    assert "docs/index.md: page /: perdu/: no such file" in result.stdout
    assert "1 problem(s)" in result.stderr


def test_markdown_in_data_text_is_rendered_on_the_page_and_in_the_pdf(changed):
    assert soup(page_file(changed, "fiches/echange-3/")).select_one("form .kit-prompt strong").get_text() == "vraiment"
    text = " ".join(p.extract_text() for p in PdfReader(changed / "fiches" / "pdf" / "echange-3-letter.pdf").pages)
    assert "vraiment" in text and "**" not in text


# ---- data of the wrong shape, at any depth ----------------------------------------------------------

SHAPES = [  # file, text, replacement, what the message must say
    ("worksheets/echange-1.yml", "    lines: 10\n", "    lines: 10\n    colour: red\n", ["question 1", "'colour' is not a field here"]),
    ("glossary.yml", "      term: MSSS\n", "      term: MSSS\n      plural: MSSSs\n", ["entry 'msss'", "'fr.plural' is not a field here"]),
    ("glossary.yml", "      also: [NGP]", "      also: NGP", ["entry 'ngp'", "must be a list", "[NGP]"]),
    ("glossary.yml", "      term: PUM\n", "      term: PUQ\n", ["entry 'pum'", "'PUQ' is also in entry 'puq'"]),
    ("glossary.yml", "  - id: pum", "  - id: puq", ["'puq' is also in entry 'puq'"]),
    ("glossary.yml", "      term: CAMF\n      expansion:", "      term: CAMF\n      also: [CMTQ]\n      expansion:",
     ["entry 'camf'", "'CMTQ' is also in entry 'cmtq'"]),
    ("worksheets/echange-3.yml", "duration: 30", "duration: '30'", ["field 'duration' must be a whole number"]),
    ("worksheets/espaces-de-concertation.yml", '  en: ["Yes", "Partly", "Not yet"]', '  en: ["Yes", "Partly"]',
     ["lists 3 French and 2 English choices"]),
    ("labels.yml", 'who: {fr: "Pour qui", en: "Who takes part"}', 'who: {fr: "Pour qui"}', ["labels.yml:", "field 'who.en' is missing"]),
    ("references.yml", '        title: "Les tables de quartier"', '        title: "Les tables de quartier"\n        website: x',
     ["group 'illustrations-concretes', entry 1", "'website' is not a field here"]),
    ("corrections.yml", 'seeds: ["002"]\n    wrong: "ingénirie"', 'seeds: ["009"]\n    wrong: "ingénirie"', ["correction 4", "names 009, not a document"]),
    ("sources.yml", '  - id: "001"', '  - id: "001"\n    id: "002"', ["sources.yml:", "'id' is written twice"]),
    ("worksheets/index.yml", "  - echange-2\n", "  - echange-2\n  - echange-2\n", ["'order' lists echange-2 more than once"]),
    ("worksheets/espaces-de-concertation.yml", "counter: item\n", "counter: items\n", ["field 'counter'", "'question' or 'item'"]),
    ("worksheets/echange-3.yml", "description:\n  fr:", "description:\n  fn:", ["'description.fn' is not a field here"]),
]


@pytest.mark.parametrize("path, old, new, needles", SHAPES, ids=[f"{p}:{n[-1][:30]}" for p, _, _, n in SHAPES])
def test_data_of_the_wrong_shape_is_named(data_copy, path, old, new, needles):
    load_fails(data_copy, path, old, new, f"{path}", *needles)


def test_a_question_without_its_english_stops_the_build_with_its_line(project_copy):
    sheet = project_copy / "data" / "worksheets" / "echange-2.yml"
    lines = sheet.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if line.startswith('    en: "'))
    sheet.write_text("\n".join(line for n, line in enumerate(lines, 1) if n != number) + "\n", encoding="utf-8")
    build_fails(project_copy, "data/worksheets/echange-2.yml:", "question 1", "field 'en' is missing")


def test_a_glossary_entry_without_definition_stops_the_build(project_copy):
    glossary = project_copy / "data" / "glossary.yml"
    text = re.sub(r"(term: SIV\n      expansion: soutien d’intensité variable\n)      definition: [^\n]*\n", r"\1",
                  glossary.read_text(encoding="utf-8"))
    glossary.write_text(text, encoding="utf-8")
    build_fails(project_copy, "data/glossary.yml:", "entry 'siv'", "field 'fr.definition' is missing")


def test_a_misspelt_field_is_named_with_the_missing_one(project_copy):
    edit(project_copy / "data" / "worksheets" / "standardisation.yml", "questions:", "questionz:")
    build_fails(project_copy, "data/worksheets/standardisation.yml:", "'questionz' is not a field here", "field 'questions' is missing")


def test_invalid_yaml_is_reported_with_its_line(project_copy):
    edit(project_copy / "data" / "worksheets" / "echange-3.yml", "duration: 30", "duration: [30")
    build_fails(project_copy, "data/worksheets/echange-3.yml:", "not valid YAML")


def test_a_character_the_handout_fonts_lack_stops_the_build(project_copy):
    edit(project_copy / "data" / "worksheets" / "echange-1.yml", "Défis de l’environnement externe", "Défis de l’environnement externe ✓")
    build_fails(project_copy, "data/worksheets/echange-1.yml", "'✓'", "not in the handout fonts")


# ---- pages ------------------------------------------------------------------------------------------

def test_a_missing_translation_stops_the_build(project_copy):
    (project_copy / "docs" / "charlevoix.en.md").unlink()
    build_fails(project_copy, "docs/charlevoix.md", "no English translation", "docs/charlevoix.en.md")


def test_a_page_outside_the_navigation_still_needs_its_translation(project_copy):
    (project_copy / "docs" / "extra.md").write_text("---\ntitle: x\ndescription: y\n---\n# Hors menu { #hors-menu }\n", encoding="utf-8")
    build_fails(project_copy, "docs/extra.md", "no English translation")


def test_a_heading_id_missing_in_one_language_stops_the_build(project_copy):
    edit(project_copy / "docs" / "enjeux.en.md", "{ #faire-le-point }", "{ #taking-stock }")
    build_fails(project_copy, "docs/enjeux.en.md", "heading ids", "faire-le-point")


def test_a_duplicated_heading_id_stops_the_build(project_copy):
    for name in ("concertation.md", "concertation.en.md"):
        edit(project_copy / "docs" / name, "{ #credits }", "{ #selection }")
    build_fails(project_copy, "docs/concertation.md", "'#selection' is used twice")


def test_a_heading_without_an_id_stops_the_build(project_copy):
    edit(project_copy / "docs" / "sources.md", "## Crédits { #credits }", "## Crédits")
    build_fails(project_copy, "docs/sources.md:", "has no explicit id")


def test_two_languages_naming_different_sources_stop_the_build(project_copy):
    edit(project_copy / "docs" / "enjeux.en.md", 'sources: ["002"]', 'sources: ["004"]')
    build_fails(project_copy, "docs/enjeux.en.md", "front matter 'sources'", "['004']", "['002']")


def test_a_menu_entry_without_its_english_label_stops_the_build(project_copy):
    edit(project_copy / "mkdocs.yml", "            Glossaire: Glossary\n", "")
    build_fails(project_copy, "mkdocs.yml", "'Glossaire'", "nav_translations")


def test_a_page_without_description_in_one_language_stops_the_build(project_copy):
    page = project_copy / "docs" / "glossaire.en.md"
    page.write_text(re.sub(r"^description: .*\n", "", page.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
    build_fails(project_copy, "docs/glossaire.en.md", "no 'description'")


def test_html_in_a_title_stops_the_build(project_copy):
    edit(project_copy / "docs" / "glossaire.md", "title: Glossaire", "title: Glossaire <em>complet</em>")
    build_fails(project_copy, "docs/glossaire.md", "front matter 'title' contains HTML")


def test_front_matter_that_is_not_yaml_stops_the_build(project_copy):
    edit(project_copy / "docs" / "concertation.md", "description:", "description: Concertation : ")  # ": " unquoted
    build_fails(project_copy, "docs/concertation.md", "front matter is not valid YAML")


def test_an_unknown_marker_stops_the_build(project_copy):
    edit(project_copy / "docs" / "glossaire.md", "kit:glossary", "kit:glosary")
    build_fails(project_copy, "docs/glossaire.md:", "unknown marker 'kit:glosary'")


def test_broken_links_in_markdown_stop_the_strict_build(project_copy):
    """A link to a missing page and one to a missing handout: the strict build names both."""
    edit(project_copy / "docs" / "index.md", "## Comment l’utiliser",
         "[perdu](nulle-part.md)\n\n## Comment l’utiliser")
    edit(project_copy / "docs" / "concertation.md", "\n## ", "\n[fiche](fiches/pdf/echange-9-letter.pdf)\n\n## ")
    build_fails(project_copy, "'index.md' contains a link 'nulle-part.md'",
                "'concertation.md' contains a link 'fiches/pdf/echange-9-letter.pdf'")


@pytest.mark.parametrize("src, sheet_id", [("fiches/echange-1/projection.en.md", "echange-1"), ("fiches/echange-3.md", "echange-3")])
def test_a_page_left_in_docs_where_the_build_makes_a_worksheets_page_stops_the_build(project_copy, src, sheet_id):
    """The front-matter files that carried a worksheet's pages before the build made them."""
    page = project_copy / "docs" / src
    page.parent.mkdir(exist_ok=True)
    page.write_text(f"---\nworksheet: {sheet_id}\n---\n", encoding="utf-8")
    build_fails(project_copy, f"docs/{src}: the build makes this page from data/worksheets/{sheet_id}.yml; delete docs/{src}")


def test_a_worksheet_listed_without_its_yaml_stops_the_build(project_copy):
    (project_copy / "data" / "worksheets" / "standardisation.yml").unlink()
    build_fails(project_copy, "data/worksheets/index.yml: 'order' lists standardisation but there is no such file",
                "create it from _template.yml or remove the line")


# ---- no traceback for a content mistake ---------------------------------------------------------------

@pytest.mark.parametrize("path", ["docs/charlevoix.md", "data/glossary.yml", "mkdocs.yml", "data/worksheets/echange-1.yml"])
def test_a_file_that_is_not_utf8_is_named_with_its_line(project_copy, path):
    file = project_copy / path
    text = file.read_text(encoding="utf-8")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if re.search(r"[éèà]", l))
    file.write_bytes(text.encode("latin-1", errors="replace"))
    build_fails(project_copy, f"{path}:{line}: this file is not UTF-8", "save it as UTF-8")


# ---- paths --------------------------------------------------------------------------------------------

def test_a_redirect_climbing_out_of_the_site_is_refused(project_copy):
    (project_copy / "data" / "redirects.yml").write_text("redirects:\n  ../../etc/: charlevoix/\n", encoding="utf-8")
    build_fails(project_copy, "data/redirects.yml:", "redirect '../../etc/'", "no '..'")
    assert not (project_copy.parent / "etc").exists()


def test_a_redirect_to_nowhere_stops_the_build(project_copy):
    (project_copy / "data" / "redirects.yml").write_text("redirects:\n  ancien/: nulle-part/\n", encoding="utf-8")
    build_fails(project_copy, "data/redirects.yml", "nulle-part", "not a page")


def test_ids_that_become_file_names_are_slugs(data_copy):
    load_fails(data_copy, "glossary.yml", "  - id: mrc", "  - id: ../mrc", "entry '../mrc'", "lowercase letters, digits and hyphens")
    shutil.copy(data_copy / "worksheets" / "echange-1.yml", data_copy / "worksheets" / "Fiche 9.yml")
    edit(data_copy / "glossary.yml", "  - id: ../mrc", "  - id: mrc")
    edit(data_copy / "worksheets" / "index.yml", "  - echange-1\n", "  - echange-1\n  - Fiche 9\n")
    with pytest.raises(data.KitError, match="'Fiche 9'.*lowercase letters"):
        data.load(data_copy)


# ---- publishing ----------------------------------------------------------------------------------------

def command(project: Path, *args, site_url: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    if site_url is not None:
        env["SITE_URL"] = site_url
    return subprocess.run([sys.executable, "scripts/build.py", *args], cwd=project, env=env, capture_output=True, text=True)


@pytest.mark.parametrize("url", ["www.example.org/trousse", "https://example.org/trousse?x=1", "ftp://example.org/"])
def test_a_malformed_site_url_is_named(project_copy, url):
    result = command(project_copy, "build", site_url=url)
    assert result.returncode != 0 and "SITE_URL=" in result.stderr and url in result.stderr and "Traceback" not in result.stderr
    assert not (project_copy / "site").exists()


@pytest.mark.parametrize("url", [None, "http://127.0.0.1:8000/", "http://localhost/trousse/"])
def test_publishing_refuses_a_missing_or_local_site_url(project_copy, url):
    result = command(project_copy, "publish", site_url=url)
    assert result.returncode == 2 and "SITE_URL" in result.stderr and "public address" in result.stderr
    assert not (project_copy / "site").exists()


def test_the_pages_workflow_publishes_with_the_checked_command():
    workflow = (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    assert "make publish" in workflow and "make build" not in workflow


# ---- the environment ---------------------------------------------------------------------------------

def test_a_missing_pango_stops_the_build_with_what_to_install(monkeypatch):
    import ctypes.util

    import build

    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    with pytest.raises(SystemExit) as stop:
        build.preflight()
    assert "Pango is not installed" in str(stop.value) and "apt-get install libpango-1.0-0" in str(stop.value)


def test_a_failed_build_leaves_the_published_site_untouched(project_copy):
    site = project_copy / "site"
    site.mkdir()
    (site / "index.html").write_text("previous site", encoding="utf-8")
    (project_copy / "docs" / "sources.en.md").unlink()
    result = building.in_process(project_copy, site)
    assert result.returncode != 0
    assert (site / "index.html").read_text(encoding="utf-8") == "previous site"
    assert not (project_copy / "site.partial").exists()


# ---- what an editor may plant (issue 17) -----------------------------------------------------------

def test_yaml_aliases_are_refused_before_they_are_expanded(project_copy):
    """A "billion laughs" of 12 levels (9^12 items once expanded) fails at once, naming its line."""
    sheet = project_copy / "data" / "worksheets" / "echange-2.yml"
    levels = ['x0: &x0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]']
    levels += [f"x{n}: &x{n} [{', '.join([f'*x{n - 1}'] * 9)}]" for n in range(1, 13)]
    sheet.write_text(sheet.read_text(encoding="utf-8") + "\n".join(levels) + "\n", encoding="utf-8")
    line = len(sheet.read_text(encoding="utf-8").splitlines()) - 12
    started = time.monotonic()
    with pytest.raises(data.KitError) as error:
        data.read_yaml(sheet)
    assert time.monotonic() - started < 0.5
    assert f"echange-2.yml:{line}: YAML anchor '&x0' is not allowed" in str(error.value)
    build_fails(project_copy, f"data/worksheets/echange-2.yml:{line}:", "anchor '&x0'")


def test_a_yaml_alias_in_any_data_file_is_refused(data_copy):
    labels = data_copy / "labels.yml"
    text = labels.read_text(encoding="utf-8")
    text = text.replace('who: {fr: "Pour qui"', 'who: &pour-qui {fr: "Pour qui"', 1) + "who_again: *pour-qui\n"
    labels.write_text(text, encoding="utf-8")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if "&pour-qui" in l)
    with pytest.raises(data.KitError, match=rf"labels.yml:{line}: YAML anchor '&pour-qui'"):
        data.load(data_copy)
    labels.write_text(text.replace("&pour-qui ", ""), encoding="utf-8")  # the alias alone: refused too, on its line
    with pytest.raises(data.KitError, match=rf"labels.yml:{len(text.splitlines())}: YAML alias '\*pour-qui'"):
        data.load(data_copy)


def test_anchors_in_several_data_files_are_named_at_once(data_copy):
    edit(data_copy / "worksheets" / "standardisation.yml", "duration:", "duration: &minutes")
    edit(data_copy / "redirects.yml", "redirects:", "redirects: &toutes")
    with pytest.raises(data.KitError) as error:
        data.load(data_copy)
    lines = str(error.value).splitlines()
    assert len(lines) == 2 and "redirects.yml:" in lines[0] and "'&toutes'" in lines[0]
    assert "worksheets/standardisation.yml:" in lines[1] and "'&minutes'" in lines[1]


@pytest.mark.parametrize("folder, name, target", [("docs/assets", "hote.txt", "/etc/hostname"),
                                                  ("overrides", "partials-bis", "/usr/share/doc")])
def test_a_link_out_of_the_project_is_refused(project_copy, folder, name, target):
    (project_copy / folder / name).symlink_to(target)
    build_fails(project_copy, f"{folder}/{name} leads to {target}, outside the project")


def test_links_are_judged_by_where_they_lead(project_copy, monkeypatch):
    from kit import paths

    monkeypatch.setattr(paths, "ROOT", project_copy)
    seeds = project_copy / "data" / "seeds"
    (seeds / "copie").symlink_to(seeds)  # inside the project, and a loop: allowed, walked once
    (project_copy / "docs" / "assets" / "sources.yml").symlink_to(project_copy / "data" / "sources.yml")
    assert paths.links_out_of_the_project(project_copy / "docs", project_copy / "data") == []
    (seeds / "ailleurs").symlink_to(project_copy.parent)  # the folder holding the project
    (found,) = paths.links_out_of_the_project(project_copy / "docs", project_copy / "data")
    assert found.startswith("data/seeds/ailleurs leads to ") and "outside the project" in found


SCRIPT_LINKS = [  # where, what is written, what the message shows
    ("worksheets/echange-3.yml", '  fr: "Votre espace!', '  fr: "[Lire [ceci] d’abord](JaVaScRiPt:alert(document.cookie)) Votre espace!',
     ["field 'notes.fr' links to 'JaVaScRiPt:alert(document.cookie)'", "scheme 'javascript:'"]),
    ("glossary.yml", "definition: Regroupement de municipalités d’un même territoire au Québec.",
     'definition: "Voir [la carte][carte].\\n\\n[carte]: &#x76;bscript:msgbox(1)\\n\\nRegroupement de municipalités."',
     ["entry 'mrc'", "scheme 'vbscript:'"]),
    ("references.yml", '        title: "Les tables de quartier"', '        title: "Les tables de quartier ![logo]( data:image/svg+xml;base64,PHN2Zz4=)"',
     ["group 'illustrations-concretes'", "scheme 'data:'"]),
]


@pytest.mark.parametrize("path, old, new, needles", SCRIPT_LINKS, ids=[p for p, *_ in SCRIPT_LINKS])
def test_script_links_in_data_are_refused(data_copy, path, old, new, needles):
    load_fails(data_copy, path, old, new, path, *needles)


def test_a_script_link_in_a_worksheet_question_stops_the_build(project_copy):
    edit(project_copy / "data" / "worksheets" / "echange-1.yml", '  - fr: "', '  - fr: "[Lire [ici] avant](\\tjava&#115;cript:void(0)) ')
    build_fails(project_copy, "data/worksheets/echange-1.yml:", "question 1", "field 'fr' links to", "scheme 'javascript:'")


def test_a_script_link_in_a_page_stops_the_build(project_copy):
    edit(project_copy / "docs" / "charlevoix.en.md", "\n## ", '\n<p><a href=" java&#x09;script:alert(1)">map</a></p>\n\n## ')
    build_fails(project_copy, "docs/charlevoix.en.md: <a href=", "scheme 'javascript:'")


@pytest.mark.parametrize("markdown, needle", [
    ("See [the [full] map][m].\n\n[m]: FILE:///etc/hostname", "scheme 'file:'"),
    ("[x](https://example.org) <img src=\"https://example.org/a.png\" onerror=\"alert(1)\" alt=\"\">", "event attribute"),
    ("<form action=\"&#106;avascript:alert(1)\"><button>Go</button></form>", "scheme 'javascript:'"),
])
def test_script_links_in_page_markdown_are_found_by_the_parser(markdown, needle):
    import markdown as python_markdown
    from kit import pages

    with pytest.raises(data.KitError, match=needle) as error:
        pages.refuse_unsafe_links(python_markdown.markdown(markdown), "docs/x.md")
    assert str(error.value).startswith("docs/x.md: <")
    pages.refuse_unsafe_links(python_markdown.markdown("[ok](https://a.org) [mail](mailto:a@b.org) [here](../x/#y)"), "docs/x.md")


def add_worksheet(project: Path, sheet_id: str, model: str = "echange-1.yml") -> None:
    """Follow the README's recipe for a new worksheet, with the given id: its YAML (a copy of
    `model`) and its line in index.yml."""
    worksheets = project / "data" / "worksheets"
    text = (worksheets / model).read_text(encoding="utf-8").replace("id: echange-1", f"id: {sheet_id}", 1)
    (worksheets / f"{sheet_id}.yml").write_text(text, encoding="utf-8")
    edit(worksheets / "index.yml", "  - echange-1\n", f"  - echange-1\n  - {sheet_id}\n")


def test_a_worksheet_id_of_a_pack_is_refused_as_reserved(project_copy):
    add_worksheet(project_copy, "pack-facilitator")
    build_fails(project_copy, "data/worksheets/index.yml: the worksheet id 'pack-facilitator' is reserved",
                "fiches/pdf/pack-facilitator-letter.pdf, the address of a pack", "The id is the cause")


@pytest.mark.parametrize("sheet_id, reason", [("pdf", "folder of the PDF handouts"), ("projection", "projection page"),
                                              ("pack-participant", "the address of a pack"),
                                              ("bilan-a4", "ends with '-a4'"), ("bilan-large-print", "ends with '-large-print'")])
def test_reserved_worksheet_ids_are_refused(project_copy, sheet_id, reason):
    add_worksheet(project_copy, sheet_id)
    with pytest.raises(data.KitError) as error:
        data.load(project_copy / "data")
    assert f"the worksheet id '{sheet_id}' is reserved" in str(error.value) and reason in str(error.value)


def test_the_id_index_is_named_as_the_cause(data_copy):
    """The README's recipe with ID=index writes the template over the order of the worksheets."""
    shutil.copy(data_copy / "worksheets" / "_template.yml", data_copy / "worksheets" / "index.yml")
    with pytest.raises(data.KitError) as error:
        data.load(data_copy)
    assert "holds a worksheet" in str(error.value) and "the id 'index' is reserved" in str(error.value)
    assert "not a field" not in str(error.value)


def test_a_worksheet_yaml_not_listed_in_the_index_is_named(data_copy):
    text = (data_copy / "worksheets" / "echange-1.yml").read_text(encoding="utf-8")
    (data_copy / "worksheets" / "bilan.yml").write_text(text.replace("id: echange-1", "id: bilan", 1), encoding="utf-8")
    with pytest.raises(data.KitError, match=r"bilan\.yml not listed in index\.yml 'order'; add it there"):
        data.load(data_copy)


def test_a_page_of_docs_claiming_a_worksheet_stops_the_build(project_copy):
    edit(project_copy / "docs" / "concertation.en.md", "---\n", "---\nworksheet: echange-2\n")
    build_fails(project_copy, "docs/concertation.en.md: front matter 'worksheet: echange-2' is for the pages the build makes",
                "<!-- kit:worksheet echange-2 -->")


def test_a_page_claiming_a_worksheet_is_refused_in_french_too():
    from kit import pages

    contents = {"bilan.md": "---\nworksheet: bilan\n---\n# Bilan { #bilan }\nUne note.\n",
                "bilan.en.md": "---\ntitle: Review\n---\n# Review { #bilan }\n"}
    problem = pages.translation_problems(contents)[0]
    assert problem.startswith("docs/bilan.md: front matter 'worksheet: bilan' is for the pages the build makes from "
                              "data/worksheets/bilan.yml")


def test_a_worksheet_left_with_the_templates_placeholders_stops_the_build(project_copy):
    add_worksheet(project_copy, "bilan", model="_template.yml")
    output = build_fails(project_copy, "data/worksheets/bilan.yml:", "field 'source' still holds the template's placeholder; "
                         "write there the id of the source document in data/sources.yml",
                         "field 'questions[1].en' still holds the template's placeholder; write there the question in English")
    assert "field 'notes" not in output, "the template's default notes label is not a placeholder"


def test_one_placeholder_left_in_a_filled_worksheet_is_named(data_copy):
    template = (data_copy / "worksheets" / "_template.yml").read_text(encoding="utf-8")
    placeholder = re.search(r'^duration: (".*")$', template, re.M).group(1)
    message = load_fails(data_copy, "worksheets/echange-3.yml", "duration: 30", f"duration: {placeholder}",
                         "worksheets/echange-3.yml:", "field 'duration' still holds the template's placeholder; "
                         "write there the suggested duration in minutes, a whole number")
    assert message.count("still holds") == 1, message


def question_and_box(pdf: Path, field: str, last_word: str) -> tuple[int, float, int, float]:
    """(page, bottom) of a question's last word and (page, top) of its answer box, in points from the top."""
    words = words_on_pages(pdf)
    (word_page, bottom), = [(n, w["y1"]) for n, page in enumerate(words) for w in page if w["text"].startswith(last_word)]
    reader = PdfReader(pdf)
    (box_page, top), = [(n, float(page.mediabox.top) - float(annot.get_object()["/Rect"][3]))
                        for n, page in enumerate(reader.pages) for annot in page.get("/Annots", [])
                        if annot.get_object().get("/T") == field]
    return word_page, bottom, box_page, top


def test_an_overlong_question_stays_with_its_box_and_heading(changed):
    """Questions of 3,000 characters (LONG_FR, LONG_EN): the "Questions" heading is never alone at a
    page's foot, and each question's last line is on the page where its answer box starts, above it."""
    require(bool(shutil.which("pdftotext")), "poppler-utils (Debian)")
    site = changed
    for path, field, last in (("fiches/pdf/echange-2-letter.pdf", "echange-2-q1", "finfr"),
                              ("fiches/pdf/echange-2-a4.pdf", "echange-2-q1", "finfr"),
                              ("en/fiches/pdf/echange-3-letter.pdf", "echange-3-q1", "finen"),
                              ("en/fiches/pdf/echange-3-a4.pdf", "echange-3-q1", "finen")):
        word_page, bottom, box_page, top = question_and_box(site / path, field, last)
        assert box_page == word_page and bottom <= top + 1, \
            f"{path}: question ends on page {word_page + 1}, its box starts on page {box_page + 1}"
        pages = words_on_pages(site / path)
        for number, words in enumerate(pages):
            texts = [w["text"] for w in words]
            if "Questions" in texts:  # the heading: followed on its page by the first question
                assert texts[texts.index("Questions") + 1] == "1.", f"{path}: 'Questions' alone on page {number + 1}"
