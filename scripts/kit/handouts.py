"""The PDF handouts, rendered with WeasyPrint from the same data as the worksheet pages.

For each language and paper size (Letter, the default in Québec, and A4):
- one fillable PDF per worksheet: a field for the resource or group, one per question (and a
  radio group per item where the worksheet offers choices) and one for the notes, each with an
  accessible name of its own; ruled lines that print even when left blank; a QR code to its page;
- a participants' pack (the key definitions, then every worksheet) and a facilitator's pack
  (every worksheet with its notes for facilitators), joined from parts rendered once each
  (kit.pdfjoin), so that memory does not grow with the number of worksheets.

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
NOTES_LINES = 4
FACILITATOR_LINES = 3  # the facilitator's pack keeps a little room to write: it is for running the day
MAX_LINES = 30
AUTHOR = "Regroupement des ressources alternatives en santé mentale du Québec (RRASMQ)"
DEFINITION_IDS = ("gestion", "gouvernance", "participation-democratique", "rapports-egalitaires",
                  "gouvernance-partagee", "gouvernance-collective", "concertation")


@dataclass(frozen=True)
class Handout:
    """One published PDF: what it is, and where it and its page live (site-relative addresses)."""

    id: str  # the worksheet's id, or pack-participant / pack-facilitator
    kind: str  # "worksheet" or "pack"
    audience: str  # "participant" or "facilitator"
    lang: str
    paper: str
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
        for paper in addresses.PAPERS:
            for sheet in kit.worksheets:
                out.append(Handout(sheet.id, "worksheet", "participant", lang, paper, sheet.title[lang],
                                   addresses.handout(addresses.handout_name(sheet.id, paper), lang),
                                   addresses.worksheet(sheet.id, lang)))
            for audience in addresses.AUDIENCES:
                out.append(Handout(f"pack-{audience}", "pack", audience, lang, paper, t[f"pack_{audience}"],
                                   addresses.handout(addresses.pack_name(audience, paper), lang),
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


def _html(lang: str, **context) -> str:
    out = templates.render("handout.html", lang=lang, author=AUTHOR, **context)
    return typography.html(out, lang)


@dataclass
class Part:
    """One PDF to render: a worksheet (for participants or facilitators) or the definitions page."""

    html: str
    file: Path


def plan(kit: data.Kit, site_url: str, cache_dir: Path) -> tuple[dict, dict[tuple, list[Part]], list[Path]]:
    """The parts of every handout: {(lang, paper, kind, id): Part}, the parts of each pack, QR files used."""
    fingerprint = _fingerprint()
    parts: dict[tuple, Part] = {}
    packs: dict[tuple, list[Part]] = {}
    used: list[Path] = []

    def part(key: tuple, html: str) -> Part:
        parts[key] = Part(html, cache_dir / f"part-{cache.digest(fingerprint, html)}.pdf")
        return parts[key]

    glossary = {entry.id: entry for entry in kit.glossary}
    for lang in addresses.LANGS:
        t, abbr = kit.t(lang), kit.abbreviations(lang)
        for paper in addresses.PAPERS:
            participant, facilitator = [], []
            pack_title = t["pack_participant"]
            url = addresses.absolute(site_url, addresses.prefix(lang) + "fiches/")
            definitions = [{"term": glossary[i][lang].term, "definition": glossary[i][lang].definition} for i in DEFINITION_IDS]
            participant.append(part((lang, paper, "definitions", ""), _html(
                lang, paper=paper, t=t, abbr=abbr, sheet=None, definitions=definitions, pack_title=pack_title, url=url)))
            for sheet in kit.worksheets:
                qr, qr_file = _qr(addresses.absolute(site_url, addresses.worksheet(sheet.id, lang)), cache_dir)
                used.append(qr_file)
                for audience, lines, notes_lines, into in (("participant", MAX_LINES, NOTES_LINES, participant),
                                                           ("facilitator", FACILITATOR_LINES, FACILITATOR_LINES, facilitator)):
                    context = _sheet_context(kit, sheet, lang, site_url, qr, lines)
                    into.append(part((lang, paper, audience, sheet.id), _html(
                        lang, paper=paper, t=t, abbr=abbr, sheet=context, definitions=None,
                        with_facilitator=audience == "facilitator", notes_lines=notes_lines)))
            packs[(lang, paper, "participant")] = participant
            packs[(lang, paper, "facilitator")] = facilitator
    return parts, packs, used


def check_characters(parts: dict) -> None:
    """Refuse text the handout fonts cannot show (it would print as empty boxes)."""
    from fontTools.ttLib import TTFont

    cmap = TTFont(paths.HANDOUT_TEMPLATES / "fonts" / "DejaVuSans-latin.ttf")["cmap"].getBestCmap()
    for (lang, _paper, kind, sheet_id), part in parts.items():
        body = part.html.split("<body>", 1)[-1]
        words = html_lib.unescape(re.sub(r"<[^>]*>", "", body))  # the text, without tags or attributes
        missing = sorted({c for c in words if ord(c) not in cmap and c not in "\n\r\t"})
        if missing:
            where = f"data/worksheets/{sheet_id}.yml" if sheet_id else "data/glossary.yml or data/labels.yml"
            raise data.KitError(
                f"{where}: the characters {' '.join(repr(c) for c in missing)} are not in the handout fonts "
                f"({lang}, {kind}); rewrite that text, or add the characters to the fonts "
                "(overrides/handouts/fonts/README.md).")


def check_links(parts: dict) -> None:
    """Refuse a link annotation of a PDF with a scheme other than http:, https: and mailto:
    (the data is checked when read; this is the handouts' own last look)."""
    for (_lang, _paper, _kind, sheet_id), part in parts.items():
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
    site_url = site_url if site_url.endswith("/") else site_url + "/"
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
        if handout.kind == "worksheet":
            members = [parts[(handout.lang, handout.paper, "participant", handout.id)]]
        else:
            members = packs[(handout.lang, handout.paper, handout.audience)]
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
