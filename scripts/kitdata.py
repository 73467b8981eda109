"""Read and validate the kit's data files in `data/`.

Each data file holds one kind of fact, once, in both languages: the glossary, the source
documents, the corrections made to them, and the curated references. Pages and handouts
are rendered from these, never from hand-copied lists.

Refuses: a file that is not valid YAML, a missing or empty field, a language missing from
an entry. The error names the file, the entry and the field, and says what to do.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
LANGS = ("fr", "en")


class KitDataError(Exception):
    """A data file is malformed; the message names the file and field and what to do."""


def load_yaml(path: Path):
    """Parse one YAML file, turning a syntax error into a message naming the file and line.

    Parsing is memoised on (path, modification time, size): pages ask for the same data many
    times per build, and an edited file (under `make serve`) is parsed afresh. Callers get
    their own copy, so nothing they change leaks into the next call."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise KitDataError(f"{_rel(path)}: file is missing; restore it from git or create it.") from None
    return copy.deepcopy(_parse(str(path), stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=128)
def _parse(path: str, mtime_ns: int, size: int):
    text = Path(path).read_text(encoding="utf-8")
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise KitDataError(f"{_rel(Path(path))}{where}: not valid YAML ({getattr(err, 'problem', err)}); fix the syntax.") from None


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def require(value, path: Path, where: str, field: str, kind=str):
    """Return value[field] if present, non-empty and of the expected type, else raise."""
    item = value.get(field) if isinstance(value, dict) else None
    if item is None or item == "" or item == [] or (kind is not None and not isinstance(item, kind)):
        expected = {str: "a text", list: "a list", dict: "a mapping", int: "a number"}.get(kind, "a value")
        raise KitDataError(f"{_rel(path)}: {where}: field '{field}' is missing or empty; give it {expected}.")
    return item


def bilingual(value, path: Path, where: str, field: str) -> dict:
    """A field holding {fr: text, en: text}: both languages are required."""
    pair = require(value, path, where, field, dict)
    for lang in LANGS:
        require(pair, path, f"{where}: {field}", lang)
    return pair


def optional_bilingual(value, path: Path, where: str, field: str) -> dict:
    """A field holding {fr: text or null, en: text or null}, with at least one language."""
    pair = require(value, path, where, field, dict)
    unknown = set(pair) - set(LANGS)
    if unknown or not any(pair.get(lang) for lang in LANGS):
        raise KitDataError(f"{_rel(path)}: {where}: field '{field}' needs 'fr' and/or 'en' texts (and nothing else).")
    return pair


def glossary(data_dir: Path = DATA) -> list[dict]:
    """Glossary entries: id plus, per language, term, optional expansion and aliases, definition."""
    path = data_dir / "glossary.yml"
    entries = require(load_yaml(path) or {}, path, "top level", "entries", list)
    seen = set()
    for n, entry in enumerate(entries, 1):
        entry_id = require(entry, path, f"entry {n}", "id")
        where = f"entry '{entry_id}'"
        if entry_id in seen:
            raise KitDataError(f"{_rel(path)}: {where} appears twice; merge the two entries.")
        seen.add(entry_id)
        for lang in LANGS:
            side = require(entry, path, where, lang, dict)
            require(side, path, f"{where}: {lang}", "term")
            require(side, path, f"{where}: {lang}", "definition")
    return entries


def source_documents(data_dir: Path = DATA) -> dict[str, dict]:
    """The five source documents, keyed by id ("000" ... "004")."""
    path = data_dir / "sources.yml"
    docs = require(load_yaml(path) or {}, path, "top level", "documents", list)
    out = {}
    for n, doc in enumerate(docs, 1):
        doc_id = str(require(doc, path, f"document {n}", "id"))
        where = f"document '{doc_id}'"
        require(doc, path, where, "file")
        for field in ("title", "kind", "date"):
            bilingual(doc, path, where, field)
        out[doc_id] = doc
    return out


def corrections(data_dir: Path = DATA) -> list[dict]:
    """Typing errors corrected in quotations and texts: seed ids, wrong, right, optional note."""
    path = data_dir / "corrections.yml"
    items = require(load_yaml(path) or {}, path, "top level", "corrections", list)
    for n, item in enumerate(items, 1):
        where = f"correction {n}"
        require(item, path, where, "seeds", list)
        require(item, path, where, "wrong")
        if item.get("right") is None and item.get("note") is None:
            raise KitDataError(f"{_rel(path)}: {where}: give 'right' (the corrected text) or a 'note' explaining why it is left.")
        if item.get("note") is not None:
            bilingual(item, path, where, "note")
    return items


def references(data_dir: Path = DATA) -> list[dict]:
    """Curated references of the concertation document, in groups, as in the source."""
    path = data_dir / "references.yml"
    groups = require(load_yaml(path) or {}, path, "top level", "groups", list)
    for n, group in enumerate(groups, 1):
        group_id = require(group, path, f"group {n}", "id")
        where = f"group '{group_id}'"
        bilingual(group, path, where, "title")
        for m, entry in enumerate(require(group, path, where, "entries", list), 1):
            entry_where = f"{where}, entry {m}"
            require(entry, path, entry_where, "title")
            bilingual(entry, path, entry_where, "type")
            for field in ("part", "note", "use"):
                if entry.get(field) is not None:
                    optional_bilingual(entry, path, entry_where, field)
    return groups
