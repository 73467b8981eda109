"""What the text of a data file may contain, and how it becomes HTML: the same on the web and in the PDFs.

Data text is Markdown: paragraphs and lists where a block is expected (a worksheet's context,
notes for facilitators, definitions), and inline markup everywhere: *emphasis*, **strong**,
and links to other hosts ([text](https://…)). Raw HTML is refused when the data is read
(`html_in`), so nothing a data file says can add a tag or an attribute to a page.

- `block(text)` and `inline(text)` give HTML (marked safe for Jinja), with every acronym of the
  glossary in an <abbr> carrying its expansion, the tooltip of the pages;
- `plain(text)` gives the words alone, for attributes (form field names, titles, descriptions);
- `acronyms_in(words, abbreviations)` the acronyms a text uses, found as the pages find them (paper
  has no tooltips: the handouts spell them out).
"""

from __future__ import annotations

import functools
import html
import re

import markdown
from markupsafe import Markup

SPACES = re.compile(r"[ \t\r\n]+")  # not the non-breaking spaces of French typography
RAW_HTML = re.compile(r"</?[A-Za-z][\w:-]*(?=[\s/>])|<!|<\?")  # a tag, a comment or a declaration
LINK = re.compile(r"(?<!\\)\[[^\]]*\]\(([^)\s]*)")
TAG = re.compile(r"<[^>]+>")


def html_in(text: str) -> str | None:
    """The raw HTML in a text, if any (refused in data files)."""
    found = RAW_HTML.search(text)
    return text[found.start():found.start() + 20] if found else None


def local_link_in(text: str) -> str | None:
    """A Markdown link that does not lead to another host (refused: it would break in a PDF)."""
    for target in LINK.findall(text):
        if not target.startswith(("https://", "http://")):
            return target
    return None


@functools.lru_cache(maxsize=8)
def _markdown(abbreviations: tuple[tuple[str, str], ...]) -> markdown.Markdown:
    """One converter per set of acronyms (a language's glossary), reused from text to text."""
    glossary = {term: " ".join(expansion.split()) for term, expansion in abbreviations}
    return markdown.Markdown(extensions=["abbr"], extension_configs={"abbr": {"glossary": glossary}})


@functools.lru_cache(maxsize=4096)  # the same text is rendered for many pages and handouts
def _convert(text: str, abbreviations: tuple[tuple[str, str], ...]) -> str:
    converter = _markdown(abbreviations)
    try:
        return converter.convert(text.strip())
    finally:
        converter.reset()


def block(text: str, abbreviations: dict[str, str] | None = None) -> Markup:
    """Paragraphs and lists of a data text, as HTML."""
    return Markup(_convert(text, tuple((abbreviations or {}).items())))


def inline(text: str, abbreviations: dict[str, str] | None = None) -> Markup:
    """One line of a data text, as HTML without its paragraph."""
    out = _convert(SPACES.sub(" ", text).strip(), tuple((abbreviations or {}).items()))
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
