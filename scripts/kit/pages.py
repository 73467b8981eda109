"""What the kit adds to the Markdown of pages, and the checks of pages and their translations.

- `source_box`: the "Source" box after a page's text, from its `sources:` front matter;
- `insert_summary`: the « En bref » box after a page's title, from its `summary:` front matter;
- `abbreviations`: the glossary's acronyms and their expansions, handed to Markdown's `abbr`
  extension for every page of a language (scripts/hooks.py, `on_pre_build`), so that each acronym
  gets its tooltip (one glossary feeds them all; given as settings rather than `*[ACRONYM]:` lines
  appended to each page, which doubled the time Markdown takes over a page);
- `expand_markers`: replaces `<!-- kit:NAME ARG -->` lines with content rendered from the data;
- `check_front_matter`, `translation_problems`: what every page and its translation must have;
- `refuse_unsafe_links`: a page's rendered HTML links only to http:, https:, mailto: or the site.

Refuses an unknown or malformed marker, an unknown source id, front matter MkDocs could not read
or without its title and description, raw HTML in a title or description, a page without its
translation, headings without ids or with ids that differ between languages, two languages of a
page naming different sources, a content page without its summary (« En bref ») or with one in
one language only, a summary that breaks the plain-language rules (kit.summary), a page of docs/
claiming a worksheet (`worksheet:` in its front matter: the build makes those pages), a link with a scheme other
than http:, https: and mailto: (in Markdown or raw HTML, found in the rendered page). Errors name
the page file (and line) and say what to do.
"""

from __future__ import annotations

import re

from mkdocs.utils import meta as front_matter

from kit import addresses, cache, data, day, fiches, summary, synthese, templates, text

MARKER = re.compile(r"^<!--\s*kit:([\w-]+)(?:\s+([\w-]+))?\s*-->\s*$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
HEADING_ID = re.compile(r"\{\s*#([a-z0-9][a-z0-9-]*)\s*\}\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
REQUIRED = ("title", "description")  # every page's front matter, in both languages


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
            raise data.KitError(f"{src}:{number}: heading '{line.strip()}' has no explicit id; "
                                "end it with '{ #some-id }', the same id in both languages.")
        if found.group(1) in ids:
            raise data.KitError(f"{src}:{number}: heading id '#{found.group(1)}' is used twice in this page; make it unique.")
        ids.append(found.group(1))
    return ids


def check_front_matter(markdown: str, meta: dict, src: str) -> None:
    """A page's front matter parsed, with a title and a description in plain text.

    MkDocs shows front matter it cannot parse as text, silently: that is refused here."""
    if markdown.lstrip().startswith("---"):
        raise data.KitError(f"{src}: the front matter is not valid YAML (MkDocs would show it as text); "
                            "put values that contain ': ' or start with a quotation mark in quotes.")
    for field in REQUIRED:
        if not isinstance(meta.get(field), str) or not meta[field].strip():
            raise data.KitError(f"{src}: front matter has no '{field}' text; add one (link previews and /liens/ use it).")
        found = text.html_in(meta[field])
        if found:
            raise data.KitError(f"{src}: front matter '{field}' contains HTML ({found!r}…); write plain text.")


def refuse_unsafe_links(html: str, src: str) -> None:
    """A page's HTML (its Markdown rendered, raw HTML included) links only to http:, https:, mailto:
    and addresses of the site: no javascript:, data:, vbscript:, file:… however they are spelt,
    and no event attribute (onclick…). A page that passed before, unchanged, under the same code,
    is not parsed again (kit.cache)."""
    if cache.passed("links", html):
        return
    for tag, attribute, target in text.links_in_html(html):
        reason = addresses.unsafe_link(target)
        if reason:
            raise data.KitError(f"{src}: <{tag} {attribute}=\"{target[:60]}\"> {reason}"
                                f"{' (an event attribute runs a script)' if attribute.startswith('on') else ''}; "
                                "remove it or link to a web address.")
    cache.remember_passed("links", html)


def translation_problems(contents: dict[str, str]) -> list[str]:
    """Every French page (`x.md`) needs its English translation (`x.en.md`) and the reverse, with the
    same heading ids in the same order, both front matters complete, and the same `sources`, `worksheet`,
    `view` and `listen`.
    `contents` maps docs/ paths to their text."""
    problems = []
    for src in sorted(contents):
        if addresses.lang_of_source(src) != addresses.DEFAULT:
            if addresses.original(src) not in contents:
                problems.append(f"docs/{src}: English page without its French original docs/{addresses.original(src)}; "
                                "write it (French is the default language).")
            continue
        (twin,) = (addresses.source(src, lang) for lang in addresses.TRANSLATIONS)  # the one translation: English
        if twin not in contents:
            problems.append(f"docs/{src}: no English translation; create docs/{twin} with the same headings and ids.")
            continue
        try:
            metas = {}
            for path in (src, twin):
                body, metas[path] = front_matter.get_data(contents[path])
                if metas[path].get("worksheet"):
                    sheet = metas[path]["worksheet"]
                    raise data.KitError(
                        f"docs/{path}: front matter 'worksheet: {sheet}' is for the pages the build makes from "
                        f"data/worksheets/{sheet}.yml (/fiches/{sheet}/ and its projection), not for a page of docs/; "
                        f"remove it (to show the worksheet in this page, put <!-- kit:worksheet {sheet} --> on a line "
                        "of its own).")
                check_front_matter(body, metas[path], f"docs/{path}")
            ids_fr = heading_ids(contents[src], f"docs/{src}")
            ids_en = heading_ids(contents[twin], f"docs/{twin}")
        except data.KitError as err:
            problems.append(str(err))
            continue
        if ids_fr != ids_en:
            problems.append(f"docs/{twin}: heading ids {ids_en} differ from docs/{src} {ids_fr}; "
                            "give both languages the same headings, in the same order, with the same ids.")
        problems += summary_problems(src, twin, metas)
        for key in ("sources", "worksheet", "view", "listen"):
            if metas[src].get(key) != metas[twin].get(key):
                problems.append(f"docs/{twin}: front matter '{key}' is {metas[twin].get(key)!r} but docs/{src} says "
                                f"{metas[src].get(key)!r}; both languages of a page name the same.")
    return problems


def summary_problems(src: str, twin: str, metas: dict) -> list[str]:
    """A page's « En bref » in both languages or in neither; required on the content pages
    (kit.summary.PAGES); five to eight plain sentences in each language."""
    have = [path for path in (src, twin) if "summary" in metas[path]]
    if src in summary.PAGES and not have:
        return [f"docs/{src} and docs/{twin}: front matter has no 'summary'; this content page opens with « En bref »: "
                f"add 'summary:' with {summary.FEWEST} to {summary.MOST} short sentences (one '- ' line each), in both files."]
    if len(have) == 1:
        other = twin if have == [src] else src
        return [f"docs/{other}: front matter has no 'summary' but docs/{have[0]} has one; "
                "give both languages their summary, or neither."]
    return [f"docs/{path}: front matter 'summary' {problem}." for path in have for problem in summary.problems(metas[path]["summary"])]


def render_summary(kit: data.Kit, sentences: list, lang: str) -> str:
    """The « En bref » box (overrides/kit/summary.html), as an HTML block."""
    return templates.render("summary.html", summary=sentences, t=kit.t(lang))


def insert_summary(kit: data.Kit, markdown: str, sentences: list, lang: str) -> str:
    """The page's summary box right after its title (the first '# ' line)."""
    lines = markdown.split("\n")
    title = next((n for n, line in enumerate(lines) if line.startswith("# ")), None)
    if title is None:
        return markdown
    box = render_summary(kit, sentences, lang)
    return "\n".join([*lines[:title + 1], "", box, "", *lines[title + 1:]])


def source_box(kit: data.Kit, doc_ids: list, lang: str, src: str) -> str:
    """The box naming the page's source documents and their dates."""
    unknown = [str(d) for d in doc_ids if str(d) not in kit.documents]
    if unknown or not isinstance(doc_ids, list):
        raise data.KitError(f"{src}: front matter 'sources' names {', '.join(unknown) or doc_ids!r}, not a document of "
                            f"data/sources.yml; write a list of ids such as [\"002\"] ({', '.join(kit.documents)}).")
    return templates.render("source-box.md", documents=[kit.documents[str(d)] for d in doc_ids], lang=lang,
                            t=kit.t(lang), abbr=kit.abbreviations(lang),
                            link=fiches.source_link(src.removeprefix("docs/"), "sources.md#documents"))


def abbreviations(kit: data.Kit, lang: str) -> dict[str, str]:
    """Every acronym of the glossary and its expansion on one line, in one language."""
    return {term: " ".join(expansion.split()) for term, expansion in kit.abbreviations(lang).items()}


# ---- markers: each takes (kit, lang, arg, src) and returns Markdown ----------------------------------

def render_glossary(kit: data.Kit, lang: str, arg, src: str) -> str:
    entries = sorted(kit.glossary, key=lambda e: e[lang].term.casefold())
    here = src.removeprefix("docs/")
    see = {e.id: fiches.source_link(here, e.see) for e in entries if e.see}
    return templates.render("glossary.md", entries=entries, see=see, lang=lang, t=kit.t(lang), abbr=kit.abbreviations(lang))


def render_source_documents(kit: data.Kit, lang: str, arg, src: str) -> str:
    return templates.render("source-documents.html", documents=kit.documents.values(), lang=lang, abbr=kit.abbreviations(lang))


def render_corrections(kit: data.Kit, lang: str, arg, src: str) -> str:
    return templates.render("corrections.html", corrections=kit.corrections, documents=kit.documents, lang=lang,
                            t=kit.t(lang), abbr=kit.abbreviations(lang))


def render_references(kit: data.Kit, lang: str, arg, src: str) -> str:
    return templates.render("references.md", groups=kit.references, lang=lang, t=kit.t(lang), abbr=kit.abbreviations(lang))


def render_terminology(kit: data.Kit, lang: str, arg, src: str) -> str:
    return templates.render("terminology.html", terms=kit.terminology, lang=lang, t=kit.t(lang), abbr=kit.abbreviations(lang))


def event_field(event: dict | None, field: str, lang: str) -> str:
    """One field of the day (extra.event in mkdocs.yml: a text, or {fr: …, en: …}); "" when unset."""
    value = (event or {}).get(field)
    if isinstance(value, dict):
        value = value.get(lang)
    return str(value) if value else ""


def render_event(kit: data.Kit, lang: str, arg, src: str, event: dict | None = None) -> str:
    """The day's date, place and contact when set in mkdocs.yml (extra.event); otherwise a sentence
    saying who announces them, or nothing at all with `<!-- kit:event compact -->`."""
    t, rows = kit.t(lang), []
    for field in ("date", "place", "contact"):
        value = event_field(event, field, lang)
        if value:
            rows.append((t[f"event_{field}"], value))
    return templates.render("event.md", rows=rows, compact=arg == "compact", t=t)


MARKERS = {
    "glossary": render_glossary,
    "source-documents": render_source_documents,
    "corrections": render_corrections,
    "references": render_references,
    "terminology": render_terminology,
    "worksheet": fiches.box,
    "worksheet-list": fiches.listing,
    "projections": fiches.projections,
    "event": render_event,
    "day-planner": day.planner,
    "day-projection": day.projection,
    "synthese": synthese.page,
}


def expand_markers(kit: data.Kit, markdown: str, lang: str, src: str, extra: dict | None = None) -> str:
    """Replace each marker line by its rendering; an unknown marker stops the build.
    `extra` adds markers that need more than the data (the event, the links page, the offline kit)."""
    markers = {**MARKERS, **(extra or {})}
    out = []
    for number, line in enumerate(markdown.split("\n"), 1):
        marker = MARKER.match(line)
        if marker is None:
            if "<!-- kit:" in line:
                raise data.KitError(f"{src}:{number}: malformed marker '{line.strip()}'; write '<!-- kit:NAME -->' alone on its line.")
            out.append(line)
            continue
        name, arg = marker.groups()
        render = markers.get(name)
        if render is None:
            raise data.KitError(f"{src}:{number}: unknown marker 'kit:{name}'; known markers are {', '.join(sorted(markers))}.")
        out.append(render(kit, lang, arg, src))
    return "\n".join(out)
