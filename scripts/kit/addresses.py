"""Addresses: French at the site root, English under en/. The one place that knows it.

Site-relative addresses (URLs) are written as MkDocs writes `page.url`: "" for the home page,
"charlevoix/" for a page, "fiches/pdf/echange-1-letter.pdf" for a file. Relative links between
them come from MkDocs' own `get_relative_url`, so they are what the theme writes too.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from mkdocs.utils import get_relative_url

LANGS = ("fr", "en")  # French first: the default language, at the site's root; the others are its translations
SAFE_SCHEMES = ("http", "https", "mailto")  # the only schemes a link may use: no javascript:, data:, file:…
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
DEFAULT = "fr"
TRANSLATIONS = tuple(lang for lang in LANGS if lang != DEFAULT)  # ("en",): each page's translations
NAMES = {"fr": "French", "en": "English"}  # the languages as the build's messages name them
LOCALES = {"fr": "fr_CA", "en": "en_CA"}  # each language's locale in Québec (link previews' og:locale)
PAPERS = ("letter", "a4")  # Letter first: the paper of Québec
AUDIENCES = ("participant", "facilitator")  # the two packs
PRINTS = ("standard", "large")  # the handouts' editions: standard print, and large print for low vision
LARGE = "large"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def prefix(lang: str) -> str:
    """The folder of a language: "" for French, "en/" for English."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; the kit speaks {', '.join(LANGS)}")
    return "" if lang == DEFAULT else f"{lang}/"


def lang_of(url: str) -> str:
    """The language of a site-relative address."""
    first = url.lstrip("/").split("/", 1)[0]
    return first if first in LANGS and first != DEFAULT else DEFAULT


def unprefixed(url: str) -> str:
    """The address without its language folder: "en/charlevoix/" -> "charlevoix/"."""
    url = url.lstrip("/")
    return url[len(prefix(lang_of(url))):]


def page(src_uri: str, lang: str) -> str:
    """The address of a page from its French source file: "fiches/echange-1.md" -> "en/fiches/echange-1/"."""
    stem = src_uri.removesuffix(".md")
    stem = "" if stem == "index" else stem.removesuffix("/index") + "/"
    return prefix(lang) + stem


def source(src_uri: str, lang: str) -> str:
    """The docs/ file of a page in a language, from its French one: ("charlevoix.md", "en") -> "charlevoix.en.md"."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; the kit speaks {', '.join(LANGS)}")
    return src_uri if lang == DEFAULT else src_uri.removesuffix(".md") + f".{lang}.md"


def lang_of_source(src_uri: str) -> str:
    """The language of a docs/ file: "charlevoix.en.md" -> "en", "charlevoix.md" -> "fr"."""
    return next((lang for lang in TRANSLATIONS if src_uri.endswith(f".{lang}.md")), DEFAULT)


def original(src_uri: str) -> str:
    """The French file a docs/ file translates: "charlevoix.en.md" -> "charlevoix.md" (itself for a French one)."""
    lang = lang_of_source(src_uri)
    return src_uri if lang == DEFAULT else src_uri.removesuffix(f".{lang}.md") + ".md"


def page_of_source(src: str) -> str:
    """The address of the page a docs/ file becomes: "docs/charlevoix.en.md" -> "en/charlevoix/"."""
    src = src.removeprefix("docs/")
    return page(original(src), lang_of_source(src))


def source_file(url: str) -> str:
    """The docs/ file of a page address: "en/charlevoix/" -> "docs/charlevoix.en.md"."""
    lang = lang_of(url)
    stem = unprefixed(url).strip("/") or "index"
    if stem == "fiches":
        stem = "fiches/index"
    return f"docs/{stem}{'' if lang == DEFAULT else '.' + lang}.md"


def papers(print_: str) -> tuple[str, ...]:
    """The papers of an edition: large print is printed on Letter only."""
    return ("letter",) if print_ == LARGE else PAPERS


def audiences(print_: str) -> tuple[str, ...]:
    """The packs of an edition: large print has the participants' pack only."""
    return ("participant",) if print_ == LARGE else AUDIENCES


def editions() -> list[tuple[str, str]]:
    """Every (print, paper) the handouts come in: standard print on each paper, large print on Letter."""
    return [(print_, paper) for print_ in PRINTS for paper in papers(print_)]


def edition(paper: str, print_: str = "standard") -> str:
    """What ends a handout's name: "letter", "a4" or "large-print" (also the templates' key for it)."""
    if print_ not in PRINTS or paper not in papers(print_):
        raise ValueError(f"no {print_!r} handout on {paper!r} paper")
    return "large-print" if print_ == LARGE else paper


def handout_name(sheet_id: str, paper: str, print_: str = "standard") -> str:
    """"echange-1-letter.pdf", "echange-1-a4.pdf", or "echange-1-large-print.pdf"."""
    return f"{sheet_id}-{edition(paper, print_)}.pdf"


def pack_name(audience: str, paper: str, print_: str = "standard") -> str:
    """"pack-participant-letter.pdf", …, or "pack-participant-large-print.pdf"."""
    return f"pack-{audience}-{edition(paper, print_)}.pdf"


HANDOUT_FOLDER = "fiches/pdf/"  # under each language's folder


def handout(name: str, lang: str) -> str:
    """The address of a handout file: ("echange-1-letter.pdf", "en") -> "en/fiches/pdf/echange-1-letter.pdf"."""
    return prefix(lang) + HANDOUT_FOLDER + name


def worksheet(sheet_id: str, lang: str) -> str:
    return prefix(lang) + f"fiches/{sheet_id}/"


def projection(sheet_id: str, lang: str) -> str:
    return worksheet(sheet_id, lang) + "projection/"


def relative(from_url: str, to_url: str) -> str:
    """A link from one page address to another address, as MkDocs writes it."""
    link = get_relative_url(to_url or ".", from_url or ".")
    return link + "/" if to_url.endswith("/") and not link.endswith("/") else link


def absolute(site_url: str, url: str) -> str:
    """The published address: SITE_URL (ending with /) followed by the site-relative one."""
    return site_url.rstrip("/") + "/" + url.lstrip("/")


def scheme(url: str) -> str | None:
    """The scheme a browser reads in a link, lowercased ('javascript' for ' JaVa\tScript:…', as the
    URL standard strips surrounding controls and spaces and drops tabs and newlines), or None for an
    address without one (inside the site)."""
    cleaned = re.sub(r"[\t\n\r]", "", url.strip(_C0_AND_SPACE))
    found = _SCHEME.match(cleaned)
    return found.group(1).lower() if found else None


def unsafe_link(url: str) -> str | None:
    """Why a link may not be published (a scheme other than http, https and mailto), or None."""
    found = scheme(url)
    if found is not None and found not in SAFE_SCHEMES:
        return f"uses the scheme '{found}:'; links may only be http:, https:, mailto: or addresses of the site"
    return None


LOCAL_PREVIEW = "http://127.0.0.1:8000/"  # the site's address when SITE_URL is not set: make serve's default


def is_local_preview(url: str) -> bool:
    """True for this computer's own address (the preview of make serve), never a published one."""
    host = (urlsplit(url).hostname or "").lower()
    return host in ("localhost", "0.0.0.0", "::1") or host.startswith("127.")


def on_paper(site_url: str) -> str:
    """The site's address as handouts print it: a local preview's, whatever its port, is the default
    one (it means nothing on paper), so that `make serve` on another port reuses the handouts
    `make build` made instead of rendering every one again for a different QR code."""
    return LOCAL_PREVIEW if is_local_preview(site_url) else site_url


def is_slug_path(value: str) -> bool:
    """An address made only of slugs ("cas-charlevoix/", "fiches/x/"): nothing can climb out of site/."""
    parts = value.strip("/").split("/")
    return bool(value.strip("/")) and all(SLUG.match(part) for part in parts)


# ---- worksheet ids the kit's own files and addresses already use ------------------------------------

VIEWS = ("projection",)  # sub-addresses of a worksheet page: fiches/<id>/projection/
OWN_FILES = {  # names in data/worksheets/ and docs/fiches/ that are not worksheets
    "index": "the name of the worksheets' order (data/worksheets/index.yml) and of their list page (docs/fiches/index.md)",
    "_template": "the name of the template new worksheets are copied from (data/worksheets/_template.yml)",
}


def reserved(sheet_id: str) -> str | None:
    """Why a worksheet id cannot be used (it would share a file or an address with the kit's own), or None."""
    if sheet_id in OWN_FILES:
        return f"it is {OWN_FILES[sheet_id]}"
    if sheet_id == HANDOUT_FOLDER.strip("/").rsplit("/", 1)[-1]:
        return f"fiches/{sheet_id}/ is the folder of the PDF handouts"
    if sheet_id in VIEWS:
        return f"'{sheet_id}' is the address every worksheet's {sheet_id} page ends with (fiches/<id>/{sheet_id}/)"
    packs = {pack_name(audience, paper, print_) for print_, paper in editions() for audience in audiences(print_)}
    for print_, paper in editions():
        if handout_name(sheet_id, paper, print_) in packs:
            return f"its PDF would be {HANDOUT_FOLDER}{handout_name(sheet_id, paper, print_)}, the address of a pack"
    for suffix in sorted({edition(paper, print_) for print_, paper in editions()}):
        if sheet_id.endswith(f"-{suffix}"):
            return f"it ends with '-{suffix}', which the kit adds to a worksheet's id to name its PDF files"
    return None
