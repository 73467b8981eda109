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


# ---- no language spelled outside addresses.py ----------------------------------------------------

CODES = "|".join(addresses.LANGS)
SPELT_IN_PYTHON = re.compile(rf"^(?:{CODES})(?:[-_][A-Za-z]{{2}})?$|\.(?:{CODES})\.md\b|^(?:{CODES})/")
"""A Python string that is a language ("fr", "en_CA"), a translation's file name (".en.md") or a folder ("en/")."""
SPELT_IN_TEMPLATE = re.compile(
    rf"""["'`](?:{CODES})(?:[-_][A-Za-z]{{2}})?["'`]|["'`](?:{CODES})/|\w+\.(?:{CODES})\b(?!-)|\.(?:{CODES})\.md\b""")
"""The same in a template or a script, and a language as an attribute (`kit_labels.fr`)."""
COMMENTS = {"jinja": re.compile(r"\{#.*?#\}|<!--.*?-->", re.S), "js": re.compile(r"/\*.*?\*/|//[^\n]*", re.S)}
ALLOWED = {  # (file, what it spells): why
    ("scripts/kit/addresses.py", None): "the one definition of the languages",
    ("scripts/kit/typography.py", "'fr'"): "French typography is about French: its rules apply to French text only",
    ("scripts/kit/collect.py", "'en'"): "the language of the command's messages on screen, English as the build's are, "
                                        "not one of the site's languages",
    ("docs/assets/javascripts/kit-synthese.js", '"en-CA"'): "a date format (YYYY-MM-DD, as collect writes it), not the page's language",
}


def spelt_in_python(path):
    """(line, what) of each language spelt in a Python file's code: strings (not docstrings), attributes
    (`model.fr`), keyword arguments (`fr=`) and fields (`fr: Text`); comments and docstrings may name them."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if SPELT_IN_PYTHON.search(node.value):
                yield node.lineno, repr(node.value)
        elif isinstance(node, ast.Attribute) and node.attr in addresses.LANGS:
            yield node.lineno, "." + node.attr
        elif isinstance(node, ast.keyword) and node.arg in addresses.LANGS:
            yield node.lineno, node.arg + "="
        elif isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) in addresses.LANGS:
            yield node.lineno, node.target.id + ":"


def spelt_in_text(path, comments):
    """(line, what) of each language spelt in a template or a script, its comments left out."""
    source = comments.sub(lambda m: "\n" * m.group(0).count("\n"), path.read_text(encoding="utf-8"))
    for found in SPELT_IN_TEMPLATE.finditer(source):
        yield source.count("\n", 0, found.start()) + 1, found.group(0)


def spelt_languages(root) -> list[str]:
    """Every language spelt in the kit's code, templates and scripts, outside ALLOWED."""
    files = [(p, spelt_in_python) for p in root.glob("scripts/**/*.py")]
    files += [(p, lambda p: spelt_in_text(p, COMMENTS["jinja"])) for p in [*root.glob("overrides/**/*.html"), *root.glob("overrides/**/*.md")]]
    files += [(p, lambda p: spelt_in_text(p, COMMENTS["js"])) for p in root.glob("docs/assets/javascripts/**/*.js") if "vendor" not in p.parts]
    out = []
    for path, spelt in sorted(files):
        name = path.relative_to(root).as_posix()
        out += [f"{name}:{line}: {what}" for line, what in sorted(spelt(path))
                if (name, None) not in ALLOWED and (name, what) not in ALLOWED]
    return out


def test_no_script_or_template_spells_a_language():
    """The languages are written in scripts/kit/addresses.py only; everything else asks it (templates get
    kit_langs, kit_default, langs; scripts read the page's lang). Each exception is in ALLOWED, with why."""
    assert spelt_languages(ROOT) == [], "ask scripts/kit/addresses.py (LANGS, DEFAULT, source(), LOCALES…) instead"


def test_the_check_of_spelt_languages_finds_them(tmp_path):
    """The check above can fail: each way of spelling a language is found."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "a.py").write_text('"""Docstrings may say "fr"."""\nx = {"fr": 1}\ny = t.en\nz = M(en=1)\n'
                                               'w = f"docs/{s}.en.md"  # comments may say "en"\n'
                                               'class A:\n    en: str\n', encoding="utf-8")
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / "b.html").write_text('{# "fr" #}\n<div lang="en">{{ kit_labels.fr.x }}</div>\n', encoding="utf-8")
    found = spelt_languages(tmp_path)
    assert found == ["overrides/b.html:2: \"en\"", "overrides/b.html:2: kit_labels.fr", "scripts/a.py:2: 'fr'", "scripts/a.py:3: .en",
                     "scripts/a.py:4: en=", "scripts/a.py:5: '.en.md'", "scripts/a.py:7: en:"]
