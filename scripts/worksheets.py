"""The discussion worksheets: one YAML file each in `data/worksheets/`, French and English side by side.

`load_all()` reads `index.yml` (the order) and every worksheet it names, and checks each
against the schema below; both the web pages and the PDF handouts are made from what it
returns, so a question exists in one place only.

Refuses: a worksheet file that is missing, malformed or incomplete, a field of the wrong
type, an unknown field, a worksheet not listed in `index.yml` or listed twice. The error names
the file and the field and says what to do.
"""

from __future__ import annotations

import re
from pathlib import Path

import kitdata
from kitdata import KitDataError, LANGS

FOLDER = kitdata.DATA / "worksheets"
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# field: (kind, required). "text" is {fr, en} texts; "int" a positive whole number.
SCHEMA = {
    "id": ("id", True),
    "source": ("str", True),
    "page": ("str", True),
    "title": ("text", True),
    "participants": ("text", True),
    "duration": ("int", True),
    "context": ("text", True),
    "questions": ("questions", True),
    "facilitator": ("text", True),
    "notes": ("text", True),
    "scale": ("scale", False),
}


def _check(sheet: dict, path: Path) -> dict:
    rel = kitdata._rel(path)
    if not isinstance(sheet, dict):
        raise KitDataError(f"{rel}: expected a mapping of fields ({', '.join(SCHEMA)}); see data/worksheets/_template.yml.")
    unknown = set(sheet) - set(SCHEMA)
    if unknown:
        raise KitDataError(f"{rel}: unknown field(s) {', '.join(sorted(unknown))}; allowed fields are {', '.join(SCHEMA)}.")
    for field, (kind, required) in SCHEMA.items():
        value = sheet.get(field)
        if value is None:
            if required:
                raise KitDataError(f"{rel}: field '{field}' is missing; add it (see data/worksheets/_template.yml).")
            continue
        if kind == "id":
            if not isinstance(value, str) or not ID.match(value) or value != path.stem:
                raise KitDataError(f"{rel}: field 'id' is {value!r}; it must equal the file name '{path.stem}' (lowercase letters, digits and hyphens).")
        elif kind == "str":
            kitdata.require(sheet, path, "worksheet", field)
        elif kind == "int":
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise KitDataError(f"{rel}: field '{field}' is {value!r}; give a whole number of minutes greater than 0.")
        elif kind == "text":
            kitdata.bilingual(sheet, path, "worksheet", field)
            for lang in LANGS:
                if not isinstance(value[lang], str):
                    raise KitDataError(f"{rel}: field '{field}.{lang}' must be a text.")
        elif kind == "scale":
            for lang in LANGS:
                choices = value.get(lang) if isinstance(value, dict) else None
                if not isinstance(choices, list) or len(choices) < 2 or not all(isinstance(c, str) and c for c in choices):
                    raise KitDataError(f"{rel}: field 'scale.{lang}' must list at least two choices.")
            if len(value["fr"]) != len(value["en"]):
                raise KitDataError(f"{rel}: field 'scale' has {len(value['fr'])} French and {len(value['en'])} English choices; give the same number.")
        elif kind == "questions":
            if not isinstance(value, list) or not value:
                raise KitDataError(f"{rel}: field 'questions' must be a list of at least one {{fr, en, lines}}.")
            for n, question in enumerate(value, 1):
                where = f"question {n}"
                for lang in LANGS:
                    kitdata.require(question, path, where, lang)
                lines = question.get("lines")
                if not isinstance(lines, int) or isinstance(lines, bool) or not 1 <= lines <= 30:
                    raise KitDataError(f"{rel}: {where}: field 'lines' is {lines!r}; give the number of ruled lines to write on (1 to 30).")
    return sheet


def load(path: Path) -> dict:
    """One worksheet, checked against the schema (its source document is checked by load_all)."""
    return _check(kitdata.load_yaml(path), path)


def load_all(folder: Path = FOLDER) -> list[dict]:
    """Every worksheet, in the order of index.yml; each file must be listed exactly once."""
    index_path = folder / "index.yml"
    order = kitdata.require(kitdata.load_yaml(index_path) or {}, index_path, "top level", "order", list)
    files = {p.stem for p in folder.glob("*.yml")} - {"index", "_template"}
    if len(set(order)) != len(order):
        raise KitDataError(f"{kitdata._rel(index_path)}: a worksheet is listed twice in 'order'; list each once.")
    missing = [sheet_id for sheet_id in order if sheet_id not in files]
    if missing:
        raise KitDataError(f"{kitdata._rel(index_path)}: 'order' lists {', '.join(missing)} but there is no such file in {kitdata._rel(folder)}; create it from _template.yml or remove the line.")
    unlisted = sorted(files - set(order))
    if unlisted:
        raise KitDataError(f"{kitdata._rel(folder)}: {', '.join(f + '.yml' for f in unlisted)} not listed in index.yml 'order'; add it there.")
    sheets = [load(folder / f"{sheet_id}.yml") for sheet_id in order]
    documents = kitdata.source_documents()
    for sheet in sheets:
        if sheet["source"] not in documents:
            raise KitDataError(f"{kitdata._rel(folder / (sheet['id'] + '.yml'))}: field 'source' is {sheet['source']!r}, "
                               "which is not a document of data/sources.yml; use one of " + ", ".join(documents) + ".")
    return sheets


def by_id(folder: Path = FOLDER) -> dict[str, dict]:
    return {sheet["id"]: sheet for sheet in load_all(folder)}


# ---- where the handouts live --------------------------------------------------------------

PAPERS = ("letter", "a4")
PACKS = ("participant", "facilitator")


def lang_prefix(lang: str) -> str:
    """French is at the site root, English under en/."""
    return "" if lang == "fr" else f"{lang}/"


def handout_path(sheet_id: str, lang: str, paper: str) -> str:
    """Site-relative path of one worksheet's PDF, e.g. fiches/pdf/echange-1-letter.pdf."""
    return f"{lang_prefix(lang)}fiches/pdf/{sheet_id}-{paper}.pdf"


def pack_path(audience: str, lang: str, paper: str) -> str:
    """Site-relative path of a pack, e.g. en/fiches/pdf/pack-facilitator-a4.pdf."""
    return f"{lang_prefix(lang)}fiches/pdf/pack-{audience}-{paper}.pdf"


def page_path(sheet_id: str, lang: str) -> str:
    """Site-relative address of a worksheet's web page, e.g. en/fiches/echange-1/."""
    return f"{lang_prefix(lang)}fiches/{sheet_id}/"
