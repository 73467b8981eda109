"""What the text of a data file may contain, and how it becomes HTML: the same on the web and in the PDFs.

Data text is Markdown: paragraphs and lists where a block is expected (a worksheet's context,
notes for facilitators, definitions), and inline markup everywhere: *emphasis*, **strong**,
and links to other hosts ([text](https://…)). Raw HTML is refused when the data is read
(`html_in`), so nothing a data file says can add a tag or an attribute to a page.

- `block(text)` and `inline(text)` give HTML (marked safe for Jinja), with every acronym of the
  glossary in an <abbr> carrying its expansion, the tooltip of the pages;
- `plain(text)` gives the words alone, for attributes (form field names, titles, descriptions);
- `links_in(text)`, `links_in_html(html)`: the addresses linked to, found by Python-Markdown and an
  HTML parser (never by a regular expression), for the checks of data, pages and the built site.
- `acronyms_in(words, abbreviations)` the acronyms a text uses, found as the pages find them (paper
  has no tooltips: the handouts spell them out).
"""

from __future__ import annotations

import functools
import html
import re
from html.parser import HTMLParser

import markdown
from markdown.extensions.abbr import AbbrExtension
from markupsafe import Markup

from kit import addresses

SPACES = re.compile(r"[ \t\r\n]+")  # not the non-breaking spaces of French typography
RAW_HTML = re.compile(r"</?[A-Za-z][\w:-]*(?=[\s/>])|<!|<\?")  # a tag, a comment or a declaration
TAG = re.compile(r"<[^>]+>")


def html_in(text: str) -> str | None:
    """The raw HTML in a text, if any (refused in data files)."""
    found = RAW_HTML.search(text)
    return text[found.start():found.start() + 20] if found else None


class _Links(HTMLParser):
    """The addresses an HTML fragment links to, entities decoded as a browser decodes them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []  # (tag, attribute, value)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value is not None:
                values = [c.split()[0] for c in value.split(",") if c.strip()] if name.endswith("srcset") else [value]
                self.found += [(tag, name, v) for v in values]
            elif name.startswith("on"):
                self.found.append((tag, name, "javascript:" + (value or "")))  # an event handler runs a script


URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "poster", "cite", "data", "background",
                  "longdesc", "ping", "xlink:href", "manifest", "icon", "imagesrcset"}


def links_in_html(fragment: str) -> list[tuple[str, str, str]]:
    """(tag, attribute, address) of every link, image or script address in HTML."""
    parser = _Links()
    parser.feed(fragment)
    parser.close()
    return parser.found


def links_in(text: str) -> list[str]:
    """Every address a data text links to, as Python-Markdown itself reads them (nested brackets,
    reference-style links, autolinks…): the text rendered, as a block and as a line, then parsed.
    Every link, image and autolink of Markdown needs a '[' or a '<': a text without either has none."""
    if "[" not in text and "<" not in text:
        return []
    line = SPACES.sub(" ", text).strip()
    rendered = _convert(text, ()) + (_convert(line, ()) if line != text.strip() else "")
    return [value for _tag, _attribute, value in links_in_html(rendered)]


def forbidden_link_in(text: str) -> str | None:
    """The first link of a data text that may not be published, and why: a scheme other than http,
    https and mailto (javascript:, data:…), or an address inside the site (it would break in a PDF)."""
    for target in links_in(text):
        reason = addresses.unsafe_link(target)
        if reason:
            return f"links to {target!r}, which {reason}"
        if addresses.scheme(target) is None:
            return (f"links to {target!r}; data text may only link to other hosts (https://…) or an email "
                    "address (mailto:…), since it is also printed in the PDFs")
    return None


@functools.lru_cache(maxsize=1)
def _markdown() -> tuple[markdown.Markdown, AbbrExtension]:
    """One converter for every data text, and its abbr extension, which is given before each text
    the acronyms that text uses (a converter per set of acronyms took longer to make than to use)."""
    abbr = AbbrExtension()
    return markdown.Markdown(extensions=[abbr]), abbr


@functools.lru_cache(maxsize=4096)  # the same text is rendered for many pages and handouts
def _convert(text: str, abbreviations: tuple[tuple[str, str], ...]) -> str:
    converter, abbr = _markdown()
    abbr.reset_glossary()
    abbr.load_glossary({term: " ".join(expansion.split()) for term, expansion in abbreviations})
    converter.reset()  # the acronyms of this text, and no other's
    try:
        return converter.convert(text.strip())
    finally:
        converter.reset()


def _used(text: str, abbreviations: dict[str, str] | None) -> tuple[tuple[str, str], ...]:
    """The acronyms a text may use (it contains their letters): Markdown's abbr extension builds and
    runs a pattern of every acronym it is given, for each text; the others would never match."""
    return tuple((term, expansion) for term, expansion in (abbreviations or {}).items() if term in text)


def block(text: str, abbreviations: dict[str, str] | None = None) -> Markup:
    """Paragraphs and lists of a data text, as HTML."""
    return Markup(_convert(text, _used(text, abbreviations)))


def inline(text: str, abbreviations: dict[str, str] | None = None) -> Markup:
    """One line of a data text, as HTML without its paragraph."""
    line = SPACES.sub(" ", text).strip()
    out = _convert(line, _used(line, abbreviations))
    return Markup(out.removeprefix("<p>").removesuffix("</p>"))


def plain(text: str) -> str:
    """The words of a data text, without markup (for attributes)."""
    return html.unescape(TAG.sub("", _convert(SPACES.sub(" ", text).strip(), ()))).strip()


def acronyms_in(words: str, abbreviations: dict[str, str]) -> list[str]:
    """The glossary's acronyms that a text uses, in the order of their first use: whole words,
    the longest first, as Markdown's `abbr` extension finds them on the pages."""
    if not abbreviations:
        return []
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(a) for a in sorted(abbreviations, key=len, reverse=True)) + r")\b")
    return list(dict.fromkeys(pattern.findall(words)))
