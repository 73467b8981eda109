"""French typography by the rules of the Office québécois de la langue française (OQLF).

Applied to the text of rendered French HTML, never to tags, attributes, scripts, styles,
code or preformatted text, nor to a passage marked as another language (lang="en"), nor to
words quoted as written (an element with `data-verbatim`: participants' answers in a synthesis):

- a non-breaking space before `:` and inside « »;
- no space before `;`, `!` and `?` (Québec usage);
- the typographic apostrophe ’ in place of the straight one between letters.

Writers type ordinary spaces; this module makes them right everywhere at once.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"

# Elements whose content is left alone, matched whole: code, text in another language
# (lang="en" on an element holding no element of the same name), words quoted as written
# (data-verbatim, same condition); then comments; then any tag.
_SKIP = re.compile(
    r"(<(script|style|pre|code|textarea|kbd)\b[^>]*>.*?</\2\s*>"
    r"|<(td|th|p|li|div|span|cite|q|dd|dt)\b[^>]*\blang=\"(?!fr)[a-z-]+\"[^>]*>.*?</\3\s*>"
    r"|<([a-z]+)\b[^>]*\sdata-verbatim\b[^>]*>.*?</\4\s*>"  # words quoted as written (collect's answers)
    r"|<!--.*?-->|<[^>]+>)",
    re.S | re.I,
)
_RULES = [
    (re.compile(r"(?<=\w)'(?=\w)"), "’"),  # straight apostrophe between letters
    (re.compile(r"«[ \t\n\u00a0\u202f]*"), "«" + NBSP),  # after an opening guillemet
    (re.compile(r"[ \t\n\u00a0\u202f]*»"), NBSP + "»"),  # before a closing guillemet
    (re.compile(r"[ \t\n\u202f]+:(?=\s|$|<)"), NBSP + ":"),  # before a colon (spaced)
    (re.compile(r"(?<=[\w)»\]…]):(?=[ \t\n]|$)"), NBSP + ":"),  # colon glued to a word or number (9:30 is left), or ending a tag's text
    (re.compile(r"[ \t\u00a0\u202f]+(?=[;!?])"), ""),  # no space before ; ! ?
]


_TRIGGER = re.compile(r"['«»:;!?]")


def french_text(text: str) -> str:
    """Apply the rules to a run of plain text (no markup)."""
    if not _TRIGGER.search(text):
        return text  # most text nodes hold none of the characters concerned
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def french_html(html: str) -> str:
    """Apply the rules to every text node of an HTML document or fragment."""
    out = []
    pos = 0
    for match in _SKIP.finditer(html):
        out.append(french_text(html[pos:match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(french_text(html[pos:]))
    return "".join(out)


def html(markup: str, lang: str) -> str:
    """HTML in a language, with that language's typography (French: the rules above)."""
    return french_html(markup) if lang == "fr" else markup


def text(words: str, lang: str) -> str:
    """Plain text in a language, with that language's typography (for attributes, PDF field names)."""
    return french_text(words) if lang == "fr" else words
