"""Bad input stops the build with a message naming the file (and field) and what to do.

Each test breaks one thing in a copy of the project and builds it; nothing is published."""

from __future__ import annotations

import re

import pytest

from helpers import edit, run_build


def build_fails(project, *needles):
    site = project / "site"
    result = run_build(site, cwd=project)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"the build should have failed:\n{output[-2000:]}"
    for needle in needles:
        assert needle in output, f"{needle!r} not in the error:\n{output[-2000:]}"
    return output


def test_a_missing_translation_stops_the_build(project_copy):
    (project_copy / "docs" / "charlevoix.en.md").unlink()
    build_fails(project_copy, "docs/charlevoix.md", "no English translation", "docs/charlevoix.en.md")


def test_a_page_outside_the_navigation_still_needs_its_translation(project_copy):
    (project_copy / "docs" / "extra.md").write_text("# Hors menu { #hors-menu }\n", encoding="utf-8")
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


def test_a_glossary_entry_without_definition_stops_the_build(project_copy):
    glossary = project_copy / "data" / "glossary.yml"
    text = glossary.read_text(encoding="utf-8")
    text = re.sub(r"(term: SIV\n      expansion: soutien d’intensité variable\n)      definition: [^\n]*\n", r"\1", text)
    glossary.write_text(text, encoding="utf-8")
    build_fails(project_copy, "data/glossary.yml:", "entry 'siv'", "field 'fr.definition' is missing")


def test_a_worksheet_without_questions_stops_the_build(project_copy):
    edit(project_copy / "data" / "worksheets" / "standardisation.yml", "questions:", "questionz:")
    build_fails(project_copy, "data/worksheets/standardisation.yml:", "'questionz' is not a field here")


def test_a_worksheet_question_without_english_stops_the_build(project_copy):
    sheet = project_copy / "data" / "worksheets" / "echange-2.yml"
    lines = [line for line in sheet.read_text(encoding="utf-8").splitlines() if not line.startswith('    en: "With regard')]
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    build_fails(project_copy, "data/worksheets/echange-2.yml", "question 1", "'en'")


def test_invalid_yaml_is_reported_with_its_line(project_copy):
    edit(project_copy / "data" / "worksheets" / "echange-3.yml", "duration: 30", "duration: [30")
    build_fails(project_copy, "data/worksheets/echange-3.yml:", "not valid YAML")


def test_an_unknown_marker_stops_the_build(project_copy):
    edit(project_copy / "docs" / "glossaire.md", "kit:glossary", "kit:glosary")
    build_fails(project_copy, "docs/glossaire.md:", "unknown marker 'kit:glosary'")


def test_a_broken_link_in_markdown_stops_the_strict_build(project_copy):
    edit(project_copy / "docs" / "index.md", "## Comment l’utiliser", "[perdu](nulle-part.md)\n\n## Comment l’utiliser")
    build_fails(project_copy, "nulle-part.md")


def test_a_failed_build_leaves_the_published_site_untouched(project_copy):
    site = project_copy / "site"
    site.mkdir()
    (site / "index.html").write_text("previous site", encoding="utf-8")
    (project_copy / "docs" / "sources.en.md").unlink()
    result = run_build(site, cwd=project_copy)
    assert result.returncode != 0
    assert (site / "index.html").read_text(encoding="utf-8") == "previous site"
    assert not (project_copy / "site.partial").exists()


def test_a_character_the_handout_fonts_lack_stops_the_build(project_copy):
    edit(project_copy / "data" / "worksheets" / "echange-1.yml", "Défis de l’environnement externe", "Défis de l’environnement externe ✓")
    build_fails(project_copy, "data/worksheets/echange-1.yml", "'✓'", "not in the handout fonts")


def test_a_redirect_to_nowhere_stops_the_build(project_copy):
    (project_copy / "data" / "redirects.yml").write_text("redirects:\n  ancien/: nulle-part/\n", encoding="utf-8")
    build_fails(project_copy, "data/redirects.yml", "nulle-part", "not a page")


def test_front_matter_that_is_not_yaml_stops_the_build(project_copy):
    edit(project_copy / "docs" / "concertation.md", "description:", "description: Concertation : ")  # ": " unquoted
    build_fails(project_copy, "docs/concertation.md", "front matter is not valid YAML")


def test_a_page_without_description_stops_the_build(project_copy):
    page = project_copy / "docs" / "glossaire.en.md"
    page.write_text(re_sub(r"^description: .*\n", "", page.read_text(encoding="utf-8")), encoding="utf-8")
    build_fails(project_copy, "docs/glossaire.en.md", "no 'description'")


def re_sub(pattern, replacement, text):
    return re.sub(pattern, replacement, text, count=1, flags=re.M)


def test_a_missing_pango_stops_the_build_with_what_to_install(monkeypatch):
    import ctypes.util

    import build

    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    with pytest.raises(SystemExit) as stop:
        build.preflight()
    assert "Pango is not installed" in str(stop.value) and "apt-get install libpango-1.0-0" in str(stop.value)
