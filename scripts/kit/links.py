"""The link check: the built site as published, read the way a browser would.

For every HTML page of both languages (and the sitemap):
- every `href`, `src` and `srcset` (Markdown links, raw HTML, templates, the language
  switcher, hreflang, canonical) resolves to a file of the site, and every `#fragment` to an id
  of its target page; absolute links to the site's own address (SITE_URL) count as internal;
- no link uses a scheme other than http:, https: and mailto: (javascript:, data:, vbscript:…, in
  any case or spacing, entities decoded);
- every handout of `handouts.json` exists and is linked from its page;
- every French page has its English counterpart and the reverse, with the same heading ids.

Each problem is one line: the source file to fix (the `docs/` page, the worksheet data file or
the template), the page address, the broken target and what to do. Links to other hosts are
left to `links_external.py` (make check-external), since builds here have no internet.
"""

from __future__ import annotations

import json
import posixpath
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from kit import addresses
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
URL_ATTRS = {"href", "src"}


@dataclass(frozen=True)
class Link:
    target: str
    tag: str
    in_content: bool


@dataclass
class Problem:
    source: str
    page: str
    target: str
    advice: str

    def __str__(self) -> str:
        return f"{self.source}: page /{self.page}: {self.target}: {self.advice}"


class PageParser(HTMLParser):
    """Collects a page's links, ids and content heading ids, and its site_url from <link canonical>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self.ids: set[str] = set()
        self.heading_ids: list[str] = []
        self.canonical = None
        self._content_depth = 0  # inside <article class="md-content__inner">
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key) and (key == "id" or tag == "a"):
                self.ids.add(attrs[key])
        if tag == "article" and "md-content__inner" in (attrs.get("class") or ""):
            self._content_depth = 1
        elif self._content_depth and tag not in VOID:
            self._content_depth += 1
        if tag in HEADINGS and self._content_depth and attrs.get("id"):
            self.heading_ids.append(attrs["id"])
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs.get("href")
        for key in URL_ATTRS:
            if attrs.get(key) is not None:
                self.links.append(Link(attrs[key], tag, bool(self._content_depth)))
        if attrs.get("srcset"):
            for candidate in attrs["srcset"].split(","):
                if candidate.strip():
                    self.links.append(Link(candidate.split()[0], tag, bool(self._content_depth)))

    def handle_endtag(self, tag):
        if self._content_depth and tag not in VOID:
            self._content_depth -= 1


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def page_address(site: Path, html: Path) -> str:
    """site/en/charlevoix/index.html -> en/charlevoix/"""
    rel = html.relative_to(site).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def source_of(address: str, in_content: bool) -> str:
    """The file a contributor edits to fix a link found on a page."""
    if not in_content:
        return "overrides/main.html or mkdocs.yml (theme and navigation)"
    match = re.fullmatch(r"fiches/([a-z0-9-]+)/(?:projection/)?", addresses.unprefixed(address))
    if match:
        return f"data/worksheets/{match.group(1)}.yml (rendered by scripts/kit/fiches.py)"
    return addresses.source_file(address)


def resolve(site: Path, base: str, target: str, site_url: str):
    """(file path, fragment) for an internal target, or None for another host or scheme."""
    parts = urlsplit(target)
    if parts.scheme in ("http", "https"):
        if not site_url or not target.startswith(site_url):
            return None
        path = "/" + target[len(site_url):].split("#")[0].split("?")[0]
        fragment = parts.fragment
    elif parts.scheme or target.startswith("//"):
        return None  # mailto:, tel:, data:, javascript: …
    else:
        fragment = parts.fragment
        if not parts.path:
            return (None, fragment)  # same page
        if parts.path.startswith("/"):  # host-absolute: under the site's own path, e.g. /trousse/
            root = urlsplit(site_url or "/").path or "/"
            if not parts.path.startswith(root):
                return (site / "..", fragment)
            path = "/" + parts.path[len(root):]
        else:
            folder = base if base.endswith("/") else base.rsplit("/", 1)[0] + "/" if "/" in base else ""
            path = "/" + folder + parts.path
    resolved = []
    for part in unquote(path).split("/"):
        if part == "..":
            if not resolved:
                return (site / "..", fragment)  # climbs out of the site
            resolved.pop()
        elif part not in (".", ""):
            resolved.append(part)
    candidate = site.joinpath(*resolved)
    if path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return (candidate, fragment)


def check(site: Path) -> list[Problem]:
    site = Path(site)
    problems: list[Problem] = []
    pages = {html: parse(html) for html in sorted(site.rglob("*.html"))}
    site_url = pages[site / "index.html"].canonical  # the home page's canonical address is SITE_URL
    ids_cache: dict[Path, set[str]] = {h: p.ids for h, p in pages.items()}

    def ids_of(path: Path) -> set[str]:
        if path not in ids_cache:
            ids_cache[path] = parse(path).ids if path.suffix == ".html" and path.exists() else set()
        return ids_cache[path]

    verdicts: dict[str, str | None] = {}  # each distinct target checked once, however many pages link to it

    def verdict(html: Path, address: str, target: str) -> str | None:
        parts = urlsplit(target)
        if parts.scheme or target.startswith("//") or parts.path.startswith("/"):
            key = target  # absolute: the same wherever it is written
        elif not parts.path:
            key = f"{address}#{parts.fragment}"  # "#x": this page's own ids
        else:
            folder = address if address.endswith("/") else address.rsplit("/", 1)[0] + "/" if "/" in address else ""
            climbs = parts.path.count("../") > folder.count("/")  # out of the site: reported from where it is written
            key = (f"{address}|{target}" if climbs else
                   posixpath.normpath("/" + folder + parts.path) + ("/" if parts.path.endswith("/") else "") + "#" + parts.fragment)
        if key not in verdicts:
            found = resolve(site, address, target, site_url)
            verdicts[key] = None if found is None else _problem(site, found[0] or html, found[1], ids_of)
        return verdicts[key]

    for html, parsed in pages.items():
        address = page_address(site, html)
        for link in parsed.links:
            advice = addresses.unsafe_link(link.target) or verdict(html, address, link.target)
            if advice:
                problems.append(Problem(source_of(address, link.in_content), address, link.target, advice))
    problems += check_sitemap(site, site_url)
    problems += check_handouts(site, site_url, pages)
    problems += check_translations(site, pages)
    return problems


def _problem(site: Path, path: Path, fragment: str, ids_of) -> str | None:
    if not path.resolve().is_relative_to(site.resolve()) or not path.exists():
        return "no such file in the built site; fix the link or add the page"
    if fragment and path.suffix == ".html" and fragment not in ids_of(path):
        return f"no id '{fragment}' in that page; link to an existing heading id"
    return None


def check_sitemap(site: Path, site_url) -> list[Problem]:
    sitemap = site / "sitemap.xml"
    if not sitemap.exists():
        return [Problem("mkdocs.yml", "sitemap.xml", "sitemap.xml", "missing; the build should write it")]
    out = []
    for target in re.findall(r'(?:<loc>|href=")([^<"]+)', sitemap.read_text(encoding="utf-8")):
        found = resolve(site, "", target, site_url)
        if found is None:
            out.append(Problem("mkdocs.yml (site_url)", "sitemap.xml", target, "address outside SITE_URL; set SITE_URL to the published address"))
        elif not found[0].exists():
            out.append(Problem("mkdocs.yml (nav)", "sitemap.xml", target, "listed in the sitemap but not built"))
    return out


def check_handouts(site: Path, site_url, pages: dict) -> list[Problem]:
    manifest = site / "handouts.json"
    if not manifest.exists():
        return [Problem("scripts/kit/handouts.py", "handouts.json", "handouts.json", "missing; run make build")]
    out = []
    linked_from: dict[Path, set[Path]] = {}  # each page's links resolved once, not once per handout
    for entry in json.loads(manifest.read_text(encoding="utf-8")):
        path = site / entry["path"]
        source = f"data/worksheets/{entry['id']}.yml" if entry["kind"] == "worksheet" else "data/worksheets/index.yml"
        if not path.exists():
            out.append(Problem(source, entry["path"], entry["path"], "listed in handouts.json but missing; run make build"))
            continue
        page = resolve(site, "", entry["url"], site_url)
        page_file = page[0] if page else None
        if page_file is None or page_file not in pages:
            out.append(Problem(source, entry["path"], entry["url"], "the handout's page does not exist"))
            continue
        address = page_address(site, page_file)
        if page_file not in linked_from:
            found = (resolve(site, address, link.target, site_url) for link in pages[page_file].links)
            linked_from[page_file] = {f[0] for f in found if f and f[0]}
        if path not in linked_from[page_file]:
            out.append(Problem(source, address, entry["path"], "handout not linked from its page; add its download link"))
    return out


def check_translations(site: Path, pages: dict) -> list[Problem]:
    """Every French page has its translation in each other language, with the same heading ids."""
    out, by_lang = [], {lang: {} for lang in addresses.LANGS}
    for html, page in pages.items():
        address = page_address(site, html)
        by_lang[addresses.lang_of(address)][addresses.unprefixed(address)] = page
    french, french_name = by_lang[addresses.DEFAULT], addresses.NAMES[addresses.DEFAULT]
    french.pop("404.html", None)
    for lang in addresses.TRANSLATIONS:
        other, prefix = by_lang[lang], addresses.prefix(lang)
        for address in sorted(set(french) | set(other)):
            if address not in other:
                out.append(Problem(source_of(address, True), address, f"/{prefix}{address}",
                                   f"no {addresses.NAMES[lang]} page; translate it (same headings and ids)"))
            elif address not in french:
                out.append(Problem(source_of(prefix + address, True), prefix + address, f"/{address}",
                                   f"no {french_name} page; write the {french_name} original"))
            elif french[address].heading_ids != other[address].heading_ids:
                diff = sorted(set(french[address].heading_ids) ^ set(other[address].heading_ids)) or ["(same ids, different order)"]
                out.append(Problem(source_of(prefix + address, True), prefix + address, ", ".join(diff),
                                   f"heading ids differ from the {french_name} page; use the same ids in the same order"))
    return out


def main(site: Path) -> int:
    site = Path(site)
    if not (site / "index.html").exists():
        print(f"error: {site} holds no built site; run 'make build' first (or 'make build check').", file=sys.stderr)
        return 1
    problems = check(site)
    grouped: dict[tuple, list[Problem]] = {}
    for problem in problems:  # a fault in the navigation shows on every page: say it once
        grouped.setdefault((problem.source, problem.target, problem.advice), []).append(problem)
    for same in grouped.values():
        others = len({p.page for p in same}) - 1
        print(str(same[0]) + (f" (and {others} other page{'s' if others > 1 else ''})" if others else ""))
    count = sum(1 for p in site.rglob("*.html"))
    if problems:
        print(f"\n{len(grouped)} problem(s) in {count} pages. Each line names the file to fix.", file=sys.stderr)
        return 1
    print(f"Links OK: {count} pages, every link, anchor, handout and translation checked.")
    return 0
