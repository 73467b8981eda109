"""Markdown that the kit adds to pages from its data files.

- `source_box`: the "Source" note under a page's title, from its `sources:` front matter;
- `abbreviations`: `*[ACRONYM]: expansion` lines, appended to every page so that each acronym
  gets its tooltip (one glossary feeds them all);
- `expand_markers`: replaces `<!-- kit:NAME ARG -->` lines with rendered content.

Refuses an unknown marker, an unknown source id or a malformed heading: the error names the
page file and line and says what to do. Nothing here keeps state between calls.
"""

from __future__ import annotations

import html
import posixpath
import re

import kitdata

MARKER = re.compile(r"^<!--\s*kit:([\w-]+)(?:\s+([\w-]+))?\s*-->\s*$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
HEADING_ID = re.compile(r"\{\s*#([a-z0-9][a-z0-9-]*)\s*\}\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")

TEXT = {
    "fr": {
        "source": "Source",
        "sources": "Sources",
        "all_sources": "Toutes les sources et les corrections",
        "wrong": "Texte de la source",
        "right": "Texte corrigé",
        "documents": "Document(s)",
        "note": "Remarque",
    },
    "en": {
        "source": "Source",
        "sources": "Sources",
        "all_sources": "All sources and corrections",
        "wrong": "Source text",
        "right": "Corrected text",
        "documents": "Document(s)",
        "note": "Note",
    },
}


class PageError(Exception):
    """Bad page input; the message names the file and line and says what to do."""


def link(from_src: str, to_src: str) -> str:
    """A relative Markdown link target from one docs/ file to another (both as src_uri)."""
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


def heading_ids(markdown: str, src: str) -> list[str]:
    """Explicit ids of every heading, in order; a heading without one, or a repeated id, raises."""
    ids, in_fence = [], False
    for number, line in enumerate(markdown.splitlines(), 1):
        if FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            continue
        heading = HEADING.match(line)
        if not heading:
            continue
        found = HEADING_ID.search(heading.group(2))
        if not found:
            raise PageError(
                f"{src}:{number}: heading '{line.strip()}' has no explicit id; "
                "end it with '{ #some-id }', the same id in both languages."
            )
        if found.group(1) in ids:
            raise PageError(f"{src}:{number}: heading id '#{found.group(1)}' is used twice in this page; make it unique.")
        ids.append(found.group(1))
    return ids


def check_front_matter(markdown: str, meta: dict, src: str) -> None:
    """A page's front matter parsed, with a title and a description (link previews, /liens/).

    MkDocs shows front matter it cannot parse as text, silently: that is refused here."""
    if markdown.lstrip().startswith("---"):
        raise PageError(f"{src}: the front matter is not valid YAML (MkDocs would show it as text); "
                        "put values that contain ': ' in quotes.")
    for field in ("title", "description"):
        if not meta.get(field):
            raise PageError(f"{src}: front matter has no '{field}'; add one (it is used for link previews and /liens/).")


def translation_problems(contents: dict[str, str]) -> list[str]:
    """Every French page (`x.md`) needs its English translation (`x.en.md`) and the reverse,
    with the same heading ids in the same order. `contents` maps docs/ paths to their text."""
    problems = []
    for src in sorted(contents):
        if src.endswith(".en.md"):
            twin = src[: -len(".en.md")] + ".md"
            if twin not in contents:
                problems.append(f"docs/{src}: English page without its French original docs/{twin}; write it (French is the default language).")
            continue
        twin = src[: -len(".md")] + ".en.md"
        if twin not in contents:
            problems.append(f"docs/{src}: no English translation; create docs/{twin} with the same headings and ids.")
            continue
        try:
            ids_fr = heading_ids(contents[src], f"docs/{src}")
            ids_en = heading_ids(contents[twin], f"docs/{twin}")
        except PageError as err:
            problems.append(str(err))
            continue
        if ids_fr != ids_en:
            problems.append(f"docs/{twin}: heading ids {ids_en} differ from docs/{src} {ids_fr}; "
                            "give both languages the same headings, in the same order, with the same ids.")
    return problems


def source_box(doc_ids: list, lang: str, src: str) -> str:
    """An admonition naming the page's source documents and their dates."""
    docs = kitdata.source_documents()
    t = TEXT[lang]
    lines = []
    for doc_id in doc_ids:
        doc = docs.get(str(doc_id))
        if doc is None:
            raise PageError(f"{src}: front matter 'sources' names '{doc_id}', which is not in data/sources.yml; use one of {', '.join(docs)}.")
        lines.append(f"*{doc['title'][lang]}* — {doc['kind'][lang]}, {doc['date'][lang]}.")
    title = t["source"] if len(lines) == 1 else t["sources"]
    body = "\n\n    ".join(lines)
    target = link(src, "sources.md")
    return f'!!! quote "{title}"\n\n    {body}\n\n    [{t["all_sources"]}]({target}#documents)\n'


def insert_after_title(markdown: str, block: str) -> str:
    """Insert a block right after the page's H1 (or at the top when there is none)."""
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join(lines[: i + 1] + ["", block] + lines[i + 1:])
    return block + "\n" + markdown


def abbreviations(lang: str) -> str:
    """Abbreviation definitions for every acronym of the glossary, in one language."""
    out = []
    for entry in kitdata.glossary():
        side = entry[lang]
        if not side.get("expansion"):
            continue
        expansion = " ".join(side["expansion"].split()).replace('"', "'")
        for term in [side["term"], *side.get("also", [])]:
            out.append(f"*[{term}]: {expansion}")
    return "\n".join(out)


# ---- markers ---------------------------------------------------------------------------------

def render_glossary(lang: str, arg, src: str) -> str:
    items = []
    entries = sorted(kitdata.glossary(), key=lambda e: e[lang]["term"].casefold())
    for entry in entries:
        side = entry[lang]
        term = html.escape(side["term"])
        expansion = f" — {html.escape(side['expansion'])}" if side.get("expansion") else ""
        items.append(
            f'<dt id="{entry["id"]}"><strong>{term}</strong>{expansion}</dt>\n'
            f'<dd markdown="1">\n{side["definition"].strip()}\n</dd>'
        )
    return '<dl class="glossary" markdown="1">\n' + "\n".join(items) + "\n</dl>"


def render_source_documents(lang: str, arg, src: str) -> str:
    rows = []
    for doc_id, doc in kitdata.source_documents().items():
        summary = doc.get("summary", {}).get(lang, "")
        rows.append(
            f'<div class="source-document" id="document-{doc_id}" markdown="1">\n\n'
            f"**{doc['title'][lang]}**  \n{doc['kind'][lang]} — {doc['date'][lang]}\n\n{summary}\n\n</div>"
        )
    return "\n\n".join(rows)


def render_corrections(lang: str, arg, src: str) -> str:
    t = TEXT[lang]
    rows = [f"| {t['wrong']} | {t['right']} | {t['documents']} |", "| --- | --- | --- |"]
    for item in kitdata.corrections():
        right = item.get("right")
        right_cell = f"« {right} »" if lang == "fr" and right else (f"“{right}”" if right else "—")
        wrong_cell = f"« {item['wrong']} »" if lang == "fr" else f"“{item['wrong']}”"
        if item.get("note"):
            right_cell = f"{right_cell} ({item['note'][lang]})" if right else item["note"][lang]
        docs = ", ".join(str(s) for s in item["seeds"])
        rows.append(f"| {wrong_cell} | {right_cell} | {docs} |")
    return "\n".join(rows)


def render_references(lang: str, arg, src: str) -> str:
    """Each group as a heading, each entry as: type — title, author, part, larger work, publisher, year."""
    note_label = TEXT[lang]["note"] + ":"
    out = []
    for group in kitdata.references():
        out.append(f"### {group['title'][lang]} {{ #{group['id']} }}\n")
        for entry in group["entries"]:
            parts = [f"*{entry['title']}*"]  # in the source's order: author, part, larger work, publisher, year
            if entry.get("author"):
                parts.append(entry["author"])
            if (entry.get("part") or {}).get(lang):
                parts.append(entry["part"][lang])
            parts += [str(entry[f]) for f in ("container", "publisher") if entry.get(f)]
            if entry.get("year"):
                parts.append(str(entry["year"]))
            item = f"- **{entry['type'][lang]}** — " + ", ".join(parts) + "."
            if (entry.get("use") or {}).get(lang):
                item += f"\n\n    {entry['use'][lang]}"
            if (entry.get("note") or {}).get(lang):
                item += f"\n\n    *{note_label}* {entry['note'][lang]}"
            out.append(item + "\n")
    return "\n".join(out)


RENDERERS = {
    "glossary": render_glossary,
    "source-documents": render_source_documents,
    "corrections": render_corrections,
    "references": render_references,
}


def expand_markers(markdown: str, lang: str, src: str, renderers: dict = RENDERERS) -> str:
    """Replace each marker line by its rendering; an unknown marker stops the build."""
    out = []
    for number, line in enumerate(markdown.split("\n"), 1):
        marker = MARKER.match(line)
        if marker is None:
            if "<!-- kit:" in line:
                raise PageError(f"{src}:{number}: malformed marker '{line.strip()}'; write '<!-- kit:NAME -->' alone on its line.")
            out.append(line)
            continue
        name, arg = marker.groups()
        render = renderers.get(name)
        if render is None:
            raise PageError(f"{src}:{number}: unknown marker 'kit:{name}'; known markers are {', '.join(sorted(renderers))}.")
        out.append(render(lang, arg, src))
    return "\n".join(out)


# ---- the day itself (optional settings in mkdocs.yml, extra.event) ----------------------------

EVENT_TEXT = {
    "fr": {"date": "Date", "place": "Lieu", "contact": "Personne à joindre",
           "unset": "La date, le lieu et la personne à joindre sont communiqués par l’équipe qui organise la journée."},
    "en": {"date": "Date", "place": "Place", "contact": "Contact",
           "unset": "The date, the place and the contact person are announced by the team organizing the day."},
}


def render_event(event: dict, lang: str, arg, src: str) -> str:
    """The event's date, place and contact when set in mkdocs.yml (extra.event); otherwise a
    sentence saying who announces them, or nothing at all with `<!-- kit:event compact -->`."""
    t, rows = EVENT_TEXT[lang], []
    for field in ("date", "place", "contact"):
        value = (event or {}).get(field)
        if isinstance(value, dict):
            value = value.get(lang)
        if value:
            rows.append(f"{t[field]}\n:   {value}\n")
    if rows:
        return '<div class="kit-event" markdown="1">\n\n' + "\n".join(rows) + "\n</div>"
    return "" if arg == "compact" else t["unset"]
