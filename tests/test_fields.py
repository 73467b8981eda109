"""Form field names have one definition (scripts/kit/fields.py): the worksheet page's answer boxes
and the PDF handout name their fields with it, and `make collect` and /synthese/ read them back
with the pattern made from the same parts. A part renamed there is renamed everywhere.

These render the two templates directly (no site build): fast, and a rename needs no rebuild."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, require
from kit import addresses, collect, data, fields, handouts, synthese, templates

LANG = "fr"


def page_form(kit: data.Kit, sheet) -> BeautifulSoup:
    """The answer boxes of a worksheet page, as the template writes them."""
    hrefs = {paper: f"../pdf/{sheet.id}-{paper}.pdf" for paper in addresses.PAPERS}
    html = templates.render("answers.html", sheet=sheet, lang=LANG, t=kit.t(LANG), abbr=kit.abbreviations(LANG),
                            hrefs={**hrefs, "pdf_lib": "lib.js", "pdf_script": "pdf.js"}, download_name="x", contact="")
    return BeautifulSoup(html, "html.parser").select_one("form.kit-answers")


def handout_form(kit: data.Kit, sheet, audience: str = "participant") -> BeautifulSoup:
    """The fields of a worksheet's PDF handout, as its HTML (what WeasyPrint makes fields of) names them."""
    html = handouts._sheet_html(kit, sheet, "https://example.org/", "data:,", audience, lang=LANG, paper="letter", large=False)
    return BeautifulSoup(html, "html.parser").select_one("article.worksheet")


def names_in(form) -> list[str]:
    """Each field's name once, in the order of the form (a radio group is one field)."""
    return list(dict.fromkeys(e["name"] for e in form.select("input[name], textarea[name]") if e["name"] != "kit-paper"))


def read_back(kit: data.Kit, names: list[str]) -> list[collect.Answer]:
    """What collect makes of a form filled in everywhere."""
    field = fields.pattern()
    assert all(field.match(name) for name in names), [n for n in names if not field.match(n)]
    return collect._answers("sheet.pdf", {name: "Une réponse." for name in names}, LANG, kit)


def expected_questions(sheet) -> list[str]:
    """The questions collect must find in a worksheet filled in everywhere: synthese.csv's keys."""
    keys = []
    for number in range(1, len(sheet.questions) + 1):
        keys += [f"{number}-choice"] if sheet.scale else []
        keys.append(str(number))
    return keys + ["notes"]


@pytest.fixture(scope="module")
def kit():
    return data.load()


def test_the_page_the_handout_and_collect_agree_on_every_worksheet(kit):
    assert any(sheet.scale for sheet in kit.worksheets), "a worksheet with choices is covered"
    for sheet in kit.worksheets:
        on_page, on_paper = names_in(page_form(kit, sheet)), names_in(handout_form(kit, sheet))
        assert on_page == on_paper == fields.names(sheet), sheet.id
        answers = read_back(kit, on_paper)
        assert [a.question for a in answers] == expected_questions(sheet), sheet.id
        assert all(a.known and a.worksheet == sheet.id and a.group == "Une réponse." for a in answers), sheet.id
        assert on_paper == names_in(handout_form(kit, sheet, "facilitator")), sheet.id


def test_the_page_tells_its_script_the_group_field(kit):
    for sheet in kit.worksheets:
        form = page_form(kit, sheet)
        assert form["data-kit-group-field"] == fields.name(sheet.id, "group")
        assert form.select_one(f'input[name="{form["data-kit-group-field"]}"]') is not None


@pytest.mark.parametrize("part, new", [("GROUP", "resource"), ("QUESTION", "question"), ("CHOICE", "pick"),
                                       ("NOTES", "remarks"), ("SEPARATOR", "_")])
def test_a_part_renamed_in_fields_py_is_renamed_everywhere(kit, monkeypatch, part, new):
    old_names = {sheet.id: fields.names(sheet) for sheet in kit.worksheets}
    monkeypatch.setattr(fields, part, new)
    for sheet in (s for s in kit.worksheets if s.scale or part != "CHOICE"):  # a choice's part: where there are choices
        on_page, on_paper = names_in(page_form(kit, sheet)), names_in(handout_form(kit, sheet))
        assert on_page == on_paper == fields.names(sheet), sheet.id
        gone = set(old_names[sheet.id]) - set(on_paper)
        assert gone and all(new in name.removeprefix(sheet.id) for name in set(on_paper) - set(old_names[sheet.id])), sheet.id
        assert not any(fields.pattern().match(name) for name in gone), f"{sheet.id}: an old name is still read: {gone}"
        answers = read_back(kit, on_paper)
        assert [a.question for a in answers] == expected_questions(sheet), sheet.id
        assert all(a.known for a in answers), sheet.id
    script = synthese.script_data(kit, LANG)
    assert new in script["field"] and script["sheets"][0]["fields"] == fields.names(kit.worksheets[0])


def test_javascript_reads_the_names_python_matches(kit):
    """/synthese/ hands collect's pattern to JavaScript: the same names, the same parts."""
    require(bool(shutil.which("node")), "Node.js")
    script = synthese.script_data(kit, LANG)
    names = [name for sheet in kit.worksheets for name in fields.names(sheet)] + ["echange-1-q1x", "autre-champ"]
    program = ("const [pattern, names] = JSON.parse(process.argv[1]); const field = new RegExp(pattern);"
               "console.log(JSON.stringify(names.map((n) => { const m = field.exec(n); return m && m.groups; })));")
    out = subprocess.run(["node", "-e", program, json.dumps([script["field"], names])],
                         capture_output=True, text=True, check=True).stdout
    for name, groups in zip(names, json.loads(out)):
        match = fields.pattern().match(name)
        assert (groups is None) == (match is None), name
        if match:
            assert {k: v for k, v in groups.items() if v is not None} == {k: v for k, v in match.groupdict().items() if v is not None}


def test_scripts_never_spell_a_field_name():
    """kit-answers.js, kit-answers-pdf.js and kit-synthese.js take names from the page or its JSON."""
    built = re.compile(r"""\$\{[^}]*\}-(?:group|notes|q)|["'`]-(?:group|notes|q)\b|["'`]q["'`]\s*\+""")
    for name in ("kit-answers.js", "kit-answers-pdf.js", "kit-synthese.js"):
        source = (ROOT / "docs" / "assets" / "javascripts" / name).read_text(encoding="utf-8")
        assert not built.findall(source), f"{name} builds a field name: {built.findall(source)}"


def test_fields_refuse_what_they_do_not_name():
    with pytest.raises(ValueError, match="unknown field kind"):
        fields.name("echange-1", "answer", 1)
    with pytest.raises(ValueError, match="number"):
        fields.name("echange-1", "question")
    assert fields.name("echange-1", "choice", 2) == "echange-1-q2-choice"
    assert fields.key(fields.pattern().match("echange-1-q12-choice")) == "12-choice"
