"""The PDF handouts, rendered with WeasyPrint from the same data as the worksheet pages.

For each language, in standard print on each paper size (Letter, the default in Québec, and
A4), and in large print on Letter (addresses.PRINTS; handout-large.css on top of handout.css):
- one fillable PDF per worksheet: a field for the resource or group, one per question (and a
  radio group per item where the worksheet offers choices) and one for the notes, each with an
  accessible name of its own; ruled lines that print even when left blank; a QR code to its page;
  every acronym it prints spelled out in a box on its first page (paper has no tooltips);
- a participants' pack (the key terms of the glossary marked `in_pack` and every acronym of the
  pack, then every worksheet) and, in standard print, a facilitator's pack (every worksheet with
  its notes for facilitators), joined from parts rendered once each (kit.pdfjoin), so that memory
  does not grow with the number of worksheets. What each pack holds, its ruled lines and the
  publisher's name are in data/handouts.yml; which editions carry which pack, in addresses.

`prepare()` makes whatever is missing and returns every handout with its file in the cache; the
hooks register them as files of the site before the pages are built (so a Markdown link to a
PDF is checked by the strict build, and `make serve` serves them). Parts are rendered again only
when their HTML, the stylesheet, the fonts or WeasyPrint changed; when none of the files they
come from changed, not even their HTML is made again.

Refuses: a missing system library (Pango), text with a character the handout fonts lack, a link
with a scheme other than http:, https: and mailto:.
"""

from __future__ import annotations

import html as html_lib
import importlib.metadata
import json
import logging
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from kit import addresses, cache, data, paths, templates, text, typography, weasy

CACHE = paths.CACHE / "handouts"
log = logging.getLogger("mkdocs.plugins.kit")  # notes go through MkDocs' logger


@dataclass(frozen=True)
class Handout:
    """One published PDF: what it is, and where it and its page live (site-relative addresses)."""

    id: str  # the worksheet's id, or pack-participant / pack-facilitator
    kind: str  # "worksheet" or "pack"
    audience: str  # "participant" or "facilitator"
    lang: str
    paper: str
    print: str  # "standard" or "large"
    title: str
    path: str  # e.g. en/fiches/pdf/echange-1-letter.pdf
    page: str  # the page it belongs to, e.g. en/fiches/echange-1/

    @property
    def src_uri(self) -> str:
        """The file's name as MkDocs knows it in its language's build (without the language folder)."""
        return addresses.unprefixed(self.path)


@dataclass(frozen=True)
class Ready:
    """A handout and its rendered file in the cache."""

    handout: Handout
    file: Path
    pages: int
    bytes: int

    def manifest_entry(self, site_url: str) -> dict:
        entry = asdict(self.handout)
        entry.update(url=addresses.absolute(site_url, self.handout.page), pages=self.pages, bytes=self.bytes)
        return entry


def catalogue(kit: data.Kit) -> list[Handout]:
    """Every handout to publish, without rendering anything."""
    out = []
    for lang in addresses.LANGS:
        t = kit.t(lang)
        for print_, paper in addresses.editions():
            for sheet in kit.worksheets:
                out.append(Handout(sheet.id, "worksheet", "participant", lang, paper, print_, sheet.title[lang],
                                   addresses.handout(addresses.handout_name(sheet.id, paper, print_), lang),
                                   addresses.worksheet(sheet.id, lang)))
            for audience in addresses.audiences(print_):
                out.append(Handout(f"pack-{audience}", "pack", audience, lang, paper, print_, t[f"pack_{audience}"],
                                   addresses.handout(addresses.pack_name(audience, paper, print_), lang),
                                   addresses.prefix(lang) + "fiches/"))
    return out


# ---- planning: the HTML of each part ----------------------------------------------------------------

def _qr(url: str, cache_dir: Path) -> tuple[str, Path]:
    """The QR code of an address as an SVG data URI, kept in the cache (encoding one is slow)."""
    import segno  # only when a QR code is made

    path = cache_dir / f"qr-{cache.digest(url)}.txt"
    if cache.entry(path) is None:
        cache.write_text(path, segno.make(url, error="m").svg_data_uri(scale=4, border=0, dark="#000000"))
        cache.record(path)
    return path.read_text(encoding="utf-8"), path


def _sheet_context(kit: data.Kit, sheet: data.Worksheet, lang: str, site_url: str, qr: str, max_lines: int) -> dict:
    source = kit.documents[sheet.source]
    url = addresses.absolute(site_url, addresses.worksheet(sheet.id, lang))
    def typeset(words: str) -> str:  # attributes (field names read aloud, the footer) get the typography too
        return typography.text(words, lang)

    return {
        "id": sheet.id,
        "title": typeset(text.plain(sheet.title[lang])),
        "participants": sheet.participants[lang],
        "duration": sheet.duration,
        "summary": sheet.summary[lang],
        "context": sheet.context[lang],
        "questions": [{"text": typeset(q[lang]), "plain": q.plain[lang] if q.plain else None,
                       "lines": min(q.lines, max_lines)} for q in sheet.questions],
        "scale": [typeset(choice) for choice in sheet.scale[lang]] if sheet.scale else None,
        "notes": typeset(sheet.notes[lang]),
        "facilitator": sheet.facilitator[lang],
        "answer": sheet.answer[lang] if sheet.answer else None,
        "source": f"{text.plain(source.title[lang])} — {text.plain(source.date[lang])}",
        "url": url,
        "qr": qr,
    }


def _html(kit: data.Kit, lang: str, **context) -> str:
    out = templates.render("handout.html", lang=lang, author=kit.handouts.publisher[lang], **context)
    return typography.html(out, lang)


RUNNING = re.compile(r'data-(?:title|source|url)="([^"]*)"')  # the footer's words, set from these attributes


def printed_text(html: str) -> str:
    """The words a part prints: the text of its body, and its footer's."""
    body = html.split("<body>", 1)[-1]
    return html_lib.unescape(" ".join([re.sub(r"<[^>]*>", " ", body), *RUNNING.findall(body)]))


def _acronym_items(found: list[str], abbr: dict[str, str]) -> list[dict]:
    return [{"term": acronym, "expansion": text.plain(abbr[acronym])} for acronym in found]


def _spelled_out(render, abbr: dict[str, str], also: list[str] = ()) -> str:
    """A part's HTML with the box spelling out the acronyms it prints (and those of `also`):
    rendered once to find them, the way the pages find them, and once more with the box."""
    html = render([])
    found = list(dict.fromkeys([*text.acronyms_in(printed_text(html), abbr), *also]))
    return render(_acronym_items(found, abbr)) if found else html


def _sheet_html(kit: data.Kit, sheet: data.Worksheet, site_url: str, qr: str, audience: str, **edition) -> str:
    """One worksheet as a pack lays it out (data/handouts.yml): its ruled lines, with or without
    the notes for facilitators. A worksheet's own PDF is laid out as in the participants' pack."""
    lang, pack = edition["lang"], kit.handouts.packs[audience]
    context = _sheet_context(kit, sheet, lang, site_url, qr, pack.answer_lines)
    t, abbr = kit.t(lang), kit.abbreviations(lang)
    return _spelled_out(lambda acronyms: _html(
        kit, t=t, abbr=abbr, sheet=context, definitions=None, with_facilitator=pack.facilitator_notes,
        notes_lines=pack.notes_lines, acronyms=acronyms, **edition), abbr)


def _definitions_html(kit: data.Kit, site_url: str, sheets: list[str], **edition) -> str:
    """The opening of the participants' pack: the key terms, then every acronym the pack prints
    (in alphabetical order, to be looked up)."""
    lang = edition["lang"]
    t, abbr = kit.t(lang), kit.abbreviations(lang)
    definitions = [{"term": entry[lang].term, "definition": entry[lang].definition} for entry in kit.glossary if entry.in_pack]
    url = addresses.absolute(site_url, addresses.prefix(lang) + "fiches/")
    used = [acronym for html in sheets for acronym in text.acronyms_in(printed_text(html), abbr)]

    def render(acronyms: list[dict]) -> str:
        acronyms = sorted(acronyms, key=lambda item: item["term"].casefold())
        return _html(kit, t=t, abbr=abbr, sheet=None, definitions=definitions, pack_title=t["pack_participant"], url=url,
                     acronyms=acronyms, **edition)
    return _spelled_out(render, abbr, used)


@dataclass
class Part:
    """One PDF to render: a worksheet (for participants or facilitators) or the definitions page."""

    html: str
    file: Path


def plan(kit: data.Kit, site_url: str, cache_dir: Path) -> tuple[dict, dict[tuple, list[Part]], list[Path]]:
    """The parts of every handout, {(lang, paper, print, kind, id): Part}; the parts of each pack,
    {(lang, paper, print, audience): [Part]}; the QR code files used."""
    fingerprint = _fingerprint()
    parts: dict[tuple, Part] = {}
    packs: dict[tuple, list[Part]] = {}
    used: list[Path] = []

    def part(key: tuple, html: str) -> Part:
        parts[key] = Part(html, cache_dir / f"part-{cache.digest(fingerprint, html)}.pdf")
        return parts[key]

    for lang in addresses.LANGS:
        qrs = {sheet.id: _qr(addresses.absolute(site_url, addresses.worksheet(sheet.id, lang)), cache_dir)
               for sheet in kit.worksheets}
        used += [file for _, file in qrs.values()]
        for print_, paper in addresses.editions():
            edition = {"lang": lang, "paper": paper, "large": print_ == addresses.LARGE}
            for audience in addresses.audiences(print_):
                members = [part((lang, paper, print_, audience, sheet.id),
                                _sheet_html(kit, sheet, site_url, qrs[sheet.id][0], audience, **edition))
                           for sheet in kit.worksheets]
                if kit.handouts.packs[audience].definitions:  # the pack opens with the key terms and the acronyms
                    opening = _definitions_html(kit, site_url, [m.html for m in members], **edition)
                    members.insert(0, part((lang, paper, print_, "definitions", ""), opening))
                packs[(lang, paper, print_, audience)] = members
    return parts, packs, used


def check_characters(parts: dict) -> None:
    """Refuse text the handout fonts cannot show (it would print as empty boxes)."""
    from fontTools.ttLib import TTFont

    cmap = TTFont(paths.HANDOUT_TEMPLATES / "fonts" / "DejaVuSans-latin.ttf")["cmap"].getBestCmap()
    for (lang, _paper, _print, kind, sheet_id), part in parts.items():
        missing = sorted({c for c in printed_text(part.html) if ord(c) not in cmap and c not in "\n\r\t"})
        if missing:
            where = f"data/worksheets/{sheet_id}.yml" if sheet_id else "data/glossary.yml or data/labels.yml"
            raise data.KitError(
                f"{where}: the characters {' '.join(repr(c) for c in missing)} are not in the handout fonts "
                f"({lang}, {kind}); rewrite that text, or add the characters to the fonts "
                "(overrides/handouts/fonts/README.md).")


def check_links(parts: dict) -> None:
    """Refuse a link annotation of a PDF with a scheme other than http:, https: and mailto:
    (the data is checked when read; this is the handouts' own last look)."""
    for (*_, sheet_id), part in parts.items():  # keyed (lang, paper, print, kind, id)
        for tag, attribute, target in text.links_in_html(part.html):
            reason = addresses.unsafe_link(target) if (tag, attribute) == ("a", "href") else None
            if reason:
                where = f"data/worksheets/{sheet_id}.yml" if sheet_id else "data/glossary.yml or data/labels.yml"
                raise data.KitError(f"{where}: a link of the handout {reason}; remove it.")


def _fingerprint() -> str:
    """Everything but the HTML that a PDF depends on: WeasyPrint's version, the stylesheet, the fonts."""
    parts = [importlib.metadata.version("weasyprint")]  # no import: it is slow
    for path in sorted(paths.HANDOUT_TEMPLATES.rglob("*")):
        if path.is_file() and path.suffix in {".css", ".ttf"}:
            parts += [path.name, path.read_bytes()]
    return cache.digest(*parts)


def _inputs_digest(site_url: str) -> str:
    """Everything the handouts are made from: data, templates, fonts, the code, WeasyPrint, the address."""
    files = [*sorted(paths.DATA.rglob("*.yml")), *sorted(paths.HANDOUT_TEMPLATES.glob("*.html")),
             *sorted((paths.SCRIPTS / "kit").glob("*.py"))]
    return cache.digest(_fingerprint(), site_url, *(p.name.encode() + p.read_bytes() for p in files))


# ---- making them --------------------------------------------------------------------------------------

def prepare(kit: data.Kit, site_url: str, cache_dir: Path = CACHE, workers: int = min(os.cpu_count() or 2, 4)) -> list[Ready]:
    """Every handout, made where missing; each is a verified file of the cache."""
    site_url = addresses.on_paper(site_url if site_url.endswith("/") else site_url + "/")
    set_name = f"handouts-{_inputs_digest(site_url)}"
    manifest = cache_dir / f"{set_name}.manifest"
    if cache.read_set(cache_dir, set_name) is not None and cache.entry(manifest):
        ready = _from_manifest(manifest, cache_dir)
        if ready is not None:
            return ready
    parts, packs, used = plan(kit, site_url, cache_dir)
    check_characters(parts)
    check_links(parts)
    todo = [p for p in {p.file: p for p in parts.values()}.values() if cache.entry(p.file) is None]
    if todo:
        log.info("Handouts: rendering %d part(s) with WeasyPrint (the others come from the cache)", len(todo))
        cache_dir.mkdir(parents=True, exist_ok=True)
        counts = weasy.render_all([(p.html, str(p.file)) for p in todo], str(paths.HANDOUT_TEMPLATES) + "/", workers)
        for part, count in zip(todo, counts):
            cache.record(part.file, pages=count)
    from kit import pdfjoin  # pypdf: only when something is to be made

    joiner = Path(pdfjoin.__file__).read_bytes()  # a joined file depends on the joining code too
    ready = []
    for handout in catalogue(kit):  # each published file is its parts joined: a worksheet is one part
        edition = (handout.lang, handout.paper, handout.print)
        if handout.kind == "worksheet":
            members = [parts[(*edition, "participant", handout.id)]]
        else:
            members = packs[(*edition, handout.audience)]
        file = cache_dir / f"{handout.kind}-{cache.digest(joiner, handout.title, handout.lang, *(m.file.name for m in members))}.pdf"
        meta = cache.entry(file)
        if meta is None:
            count = pdfjoin.join([m.file for m in members], file, title=text.plain(handout.title), lang=handout.lang)
            meta = cache.record(file, pages=count)
        ready.append(Ready(handout, file, meta["pages"], meta["bytes"]))
    cache.write_text(manifest, json.dumps([{**asdict(r.handout), "file": r.file.name} for r in ready]))
    cache.record(manifest)
    used += [p.file for p in parts.values()] + [r.file for r in ready] + [manifest]
    cache.use_set(cache_dir, set_name, used)
    return ready


def _from_manifest(manifest: Path, cache_dir: Path) -> list[Ready] | None:
    ready = []
    for item in json.loads(manifest.read_text(encoding="utf-8")):
        file = cache_dir / item.pop("file")
        meta = cache.entry(file)
        if meta is None:
            return None  # an entry was damaged or pruned: plan again
        ready.append(Ready(Handout(**item), file, meta["pages"], meta["bytes"]))
    return ready


def manifest_json(ready: list[Ready], site_url: str) -> str:
    """handouts.json: every handout with its address, page, size and number of pages."""
    return json.dumps([r.manifest_entry(site_url) for r in ready], ensure_ascii=False, indent=1) + "\n"
