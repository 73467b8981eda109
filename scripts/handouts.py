"""PDF handouts of the worksheets, made with WeasyPrint from the same data as the web pages.

`build(site_dir, site_url)` writes into the built site, for each language and paper size
(Letter, the default in Québec, and A4):

- one fillable PDF per worksheet (a form field per question and for the notes, each named by
  its question; ruled lines that print even when left blank; a QR code to its page online);
- a participant pack (key definitions, then every worksheet, without facilitator notes) and a
  facilitator's pack (every worksheet with its notes);
- `handouts.json`, the manifest of every file.

A handout is rendered again only when its HTML, the stylesheet, the fonts or WeasyPrint
changed: PDFs are kept in `.cache/handouts/` under a hash of all of these, each with its page
count beside it (`.pages`, written last, so an interrupted render is simply done again). When
none of the files the handouts come from changed, even their HTML is not made again.

Refuses: a missing system library (Pango), text with a character the handout fonts lack.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import importlib.metadata
import json
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import jinja2
import markdown
import segno
from fontTools.ttLib import TTFont

import fiches
import kitdata
import typography
import worksheets
from kitdata import KitDataError, LANGS
from worksheets import PACKS, PAPERS

TEMPLATES = kitdata.ROOT / "overrides" / "handouts"
CACHE = kitdata.ROOT / ".cache" / "handouts"
NOTES_LINES = 4
FACILITATOR_LINES = 3

SHARED_LABELS = ("worksheet", "who", "duration", "minutes", "context", "questions", "facilitator", "pack")
AUTHOR = "Regroupement des ressources alternatives en santé mentale du Québec (RRASMQ)"  # as site_author
DEFINITION_IDS = ("gestion", "gouvernance", "participation-democratique", "rapports-egalitaires",
                  "gouvernance-partagee", "gouvernance-collective", "concertation")

# Labels shared with the worksheet web pages come from fiches.TEXT; these are the handouts' own.
TEXT = {
    lang: {**{key: fiches.TEXT[lang][key] for key in SHARED_LABELS}, **own}
    for lang, own in {
        "fr": {
            "qr_alt": "Code QR menant à la page de la fiche :", "qr_caption": "La fiche en ligne",
            "scale_help": "Cochez ce qui décrit le mieux votre situation, puis notez un exemple.",
            "definitions": "Définitions clés",
            "definitions_lead": "Quelques mots à partager avant de commencer (voir aussi le glossaire en ligne).",
            "description": "Trousse d’animation : gestion et gouvernance dans les ressources alternatives",
        },
        "en": {
            "qr_alt": "QR code leading to the worksheet’s page:", "qr_caption": "This worksheet online",
            "scale_help": "Tick what best describes your situation, then note an example.",
            "definitions": "Key definitions",
            "definitions_lead": "A few words to share before starting (see also the online glossary).",
            "description": "Facilitation kit: management and governance in alternative resources",
        },
    }.items()
}


INSTALL_PANGO = ("Install Pango, the text layout library WeasyPrint needs to make the PDF handouts: "
                 "'sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0' on Debian or Ubuntu, "
                 "'brew install pango' on macOS; then run the command again.")


class HandoutError(Exception):
    """A handout cannot be made; the message says why and what to do."""


def _weasyprint():
    """Import WeasyPrint, turning a missing Pango into an instruction."""
    try:
        import weasyprint
    except OSError as err:
        raise HandoutError(
            f"WeasyPrint cannot load its system libraries ({err}). {INSTALL_PANGO}"
        ) from None
    return weasyprint


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=jinja2.StrictUndefined
    )


def _md(text: str) -> str:
    return markdown.markdown(text.strip())


def _qr(url: str) -> str:
    """The QR code of an address as an SVG data URI, kept in the cache (encoding one is slow)."""
    cached = CACHE / f"qr-{hashlib.sha256(url.encode()).hexdigest()[:24]}.txt"
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    uri = segno.make(url, error="m").svg_data_uri(scale=4, border=0, dark="#000000")
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(uri, encoding="utf-8")
    return uri


def _sheet_context(sheet: dict, lang: str, site_url: str, max_lines: int = 30) -> dict:
    source = kitdata.source_documents()[sheet["source"]]
    url = site_url + worksheets.page_path(sheet["id"], lang)
    if lang == "fr":  # attributes too (field names read aloud, footer strings) get OQLF typography
        sheet = _typeset(sheet)
    return {
        "id": sheet["id"],
        "title": sheet["title"][lang],
        "participants": sheet["participants"][lang],
        "duration": sheet["duration"],
        "context_html": jinja2.utils.markupsafe.Markup(_md(sheet["context"][lang])),
        "questions": [{"text": q[lang], "lines": min(q["lines"], max_lines)} for q in sheet["questions"]],
        "scale": (sheet.get("scale") or {}).get(lang),
        "notes": sheet["notes"][lang],
        "facilitator_html": jinja2.utils.markupsafe.Markup(_md(sheet["facilitator"][lang])),
        "source": f"{source['title'][lang]} — {source['date'][lang]}".replace("*", ""),
        "url": url,
        "qr": _qr(url),
    }


def _typeset(value):
    """French typography applied to every text of a worksheet's data."""
    if isinstance(value, str):
        return typography.french_text(value)
    if isinstance(value, list):
        return [_typeset(v) for v in value]
    if isinstance(value, dict):
        return {k: _typeset(v) for k, v in value.items()}
    return value


def _definitions(lang: str) -> list[dict]:
    entries = {entry["id"]: entry for entry in kitdata.glossary()}
    return [{"term": entries[i][lang]["term"], "definition": entries[i][lang]["definition"]} for i in DEFINITION_IDS]


def catalogue(site_url: str, langs=LANGS, papers=PAPERS) -> list[dict]:
    """Every handout's manifest fields (no pages or bytes), without rendering anything."""
    sheets = worksheets.load_all()
    entries = []
    for lang in langs:
        for paper in papers:
            for sheet in sheets:
                entries.append({
                    "id": sheet["id"], "kind": "worksheet", "audience": "participant", "lang": lang, "paper": paper,
                    "title": sheet["title"][lang], "path": worksheets.handout_path(sheet["id"], lang, paper),
                    "url": site_url + worksheets.page_path(sheet["id"], lang),
                })
            for audience in PACKS:
                entries.append({
                    "id": f"pack-{audience}", "kind": "pack", "audience": audience, "lang": lang, "paper": paper,
                    "title": TEXT[lang]["pack"][audience], "path": worksheets.pack_path(audience, lang, paper),
                    "url": site_url + worksheets.lang_prefix(lang) + "fiches/",
                })
    return entries


def plan(site_url: str, langs=LANGS, papers=PAPERS) -> list[dict]:
    """Every handout to make: its catalogue entry and the HTML it is rendered from."""
    page = _environment().get_template("handout.html")
    sheets = {sheet["id"]: sheet for sheet in worksheets.load_all()}
    contexts: dict[tuple, dict] = {}

    def context(sheet_id: str, lang: str, max_lines: int = 30) -> dict:
        key = (sheet_id, lang, max_lines)
        if key not in contexts:
            contexts[key] = _sheet_context(sheets[sheet_id], lang, site_url, max_lines)
        return contexts[key]

    jobs = []
    for entry in catalogue(site_url, langs, papers):
        lang, t = entry["lang"], TEXT[entry["lang"]]
        facilitator = entry["audience"] == "facilitator"
        if entry["kind"] == "worksheet":
            chosen, lines = [context(entry["id"], lang)], NOTES_LINES
        else:  # the facilitator's pack keeps a little room to write: it is for running the day
            limit = FACILITATOR_LINES if facilitator else 30
            chosen = [context(sheet_id, lang, limit) for sheet_id in sheets]
            lines = FACILITATOR_LINES if facilitator else NOTES_LINES
        html = page.render(lang=lang, paper=entry["paper"], title=entry["title"], url=entry["url"], t=t, author=AUTHOR,
                           sheets=chosen,
                           definitions=_definitions(lang) if entry["kind"] == "pack" and not facilitator else None,
                           with_facilitator=facilitator, notes_lines=lines)
        if lang == "fr":  # French handouts get the same OQLF typography as French pages
            html = typography.french_html(html)
        jobs.append(dict(entry, html=html))
    return jobs


def check_characters(jobs: list[dict]) -> None:
    """Refuse text the handout fonts cannot show (it would print as empty boxes)."""
    cmap = TTFont(TEMPLATES / "fonts" / "DejaVuSans-latin.ttf")["cmap"].getBestCmap()
    for job in jobs:
        body = job["html"].split("<body>", 1)[-1]
        text = html_lib.unescape(re.sub(r"<[^>]*>", "", body))  # the text, without tags or attributes
        missing = sorted({c for c in text if ord(c) not in cmap and c not in "\n\r\t"})
        if missing:
            raise KitDataError(
                f"handout {job['path']}: the characters {' '.join(repr(c) for c in missing)} are not in the "
                "handout fonts; rewrite that text in data/worksheets/ or data/glossary.yml, or add the characters "
                "to the fonts (overrides/handouts/fonts/README.md)."
            )


def _fingerprint() -> str:
    """Hash of everything but the HTML that a PDF depends on."""
    digest = hashlib.sha256(importlib.metadata.version("weasyprint").encode())  # no import: it is slow
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file() and path.suffix in {".css", ".ttf"}:
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _render(html: str, target: str) -> int:
    """Render one handout to `target` (runs in a worker process); return its number of pages."""
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=html, base_url=str(TEMPLATES) + "/").render()
    document.write_pdf(target, pdf_forms=True, pdf_variant="pdf/ua-1")
    return len(document.pages)


def _inputs_digest(site_url: str) -> str:
    """Hash of everything the handouts are made from: data, templates, fonts, the code that
    renders them, WeasyPrint's version and the site's address."""
    digest = hashlib.sha256((_fingerprint() + site_url).encode())
    files = [*sorted(worksheets.FOLDER.glob("*.yml")), kitdata.DATA / "glossary.yml", kitdata.DATA / "sources.yml",
             *sorted(TEMPLATES.glob("*.html")), *sorted(Path(__file__).parent.glob("*.py"))]
    for path in files:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:32]


def build(site_dir: Path, site_url: str, cache_dir: Path = CACHE, workers: int = 2) -> list[dict]:
    """Write every handout and the manifest into site_dir; return the manifest entries.

    When nothing they are made from changed since a previous build, the set is copied from the
    cache without being planned again; otherwise each handout is looked up by its own HTML."""
    site_dir = Path(site_dir)
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    known = cache_dir / f"set-{_inputs_digest(site_url)}.json"
    if known.exists():
        jobs = json.loads(known.read_text(encoding="utf-8"))
        if all(Path(job["cached"]).with_suffix(".pages").exists() for job in jobs):
            return _publish(site_dir, [dict(job, cached=Path(job["cached"])) for job in jobs], known)
    jobs = plan(site_url)
    check_characters(jobs)
    fingerprint = _fingerprint()
    cache_dir.mkdir(parents=True, exist_ok=True)
    for job in jobs:
        key = hashlib.sha256((fingerprint + job["html"]).encode()).hexdigest()[:32]
        job["cached"] = cache_dir / f"{key}.pdf"
    todo = [job for job in jobs if not job["cached"].with_suffix(".pages").exists()]
    if todo:
        with ProcessPoolExecutor(max_workers=min(workers, len(todo))) as pool:
            pages = list(pool.map(_render, [job["html"] for job in todo], [str(job["cached"]) for job in todo]))
        for job, count in zip(todo, pages):  # the page count is written last: it marks a complete entry
            job["cached"].with_suffix(".pages").write_text(str(count))
    return _publish(site_dir, jobs, known)


def _publish(site_dir: Path, jobs: list[dict], known: Path) -> list[dict]:
    """Copy the cached PDFs into the site, write handouts.json, remember the set."""
    manifest = []
    for job in jobs:
        target = site_dir / job["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(job["cached"], target)
        entry = {k: job[k] for k in ("id", "kind", "audience", "lang", "paper", "title", "path", "url")}
        entry["pages"] = int(job["cached"].with_suffix(".pages").read_text())
        entry["bytes"] = target.stat().st_size
        manifest.append(entry)
    (site_dir / "handouts.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    fields = ("id", "kind", "audience", "lang", "paper", "title", "path", "url")
    known.write_text(json.dumps([{**{k: job[k] for k in fields}, "cached": str(job["cached"])} for job in jobs]), encoding="utf-8")
    return manifest
