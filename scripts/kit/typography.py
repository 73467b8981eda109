"""French typography by the rules of the Office québécois de la langue française (OQLF).

Applied to the text of rendered French HTML, never to tags, attributes, scripts, styles,
code or preformatted text; in a page or passage of another language only to a passage marked
French (each text follows the nearest element that declares a language);
never to words quoted as written (an element with `data-verbatim`: participants' answers in a
synthesis):

- a non-breaking space before `:` and inside « »;
- no space before `;`, `!` and `?` (Québec usage);
- the typographic apostrophe ’ in place of the straight one between letters.

Writers type ordinary spaces; this module makes them right everywhere at once.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"

# Elements whose content is left alone, matched whole (code, scripts, styles), then comments,
# then a tag (its slash, name and attributes captured; attributes read greedily up to ">", which
# is three times faster than stopping before a closing slash), then anything else in angle
# brackets; the text between them is what typography applies to.
_TOKEN = re.compile(r"<(script|style|pre|code|textarea|kbd)\b[^>]*>.*?</\1\s*>|<!--.*?-->"
                    r"|<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b([^>]*)>|<[^>]+>", re.S | re.I)
_LANG = re.compile(r"""(?<![\w-])lang\s*=\s*["']?([a-zA-Z-]*)""")
_VERBATIM = re.compile(r"(?<![\w-])data-verbatim\b")
VERBATIM = "x-verbatim"  # the "language" of words quoted as written
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
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


def french_html(html: str, lang: str = "fr") -> str:
    """Apply the rules to every text node of an HTML document or fragment whose nearest element
    declaring a language (`lang="…"`) is French; `lang` is the language around the fragment.
    A passage in English inside a French page is left alone, however deep, and so is French
    typography's absence inside an English page, except for a passage marked French."""
    out = []  # the HTML up to `kept`, with the text nodes that changed
    stack: list[tuple[str, str]] = []  # open elements and the language each one is in
    current, pos, kept = lang, 0, 0
    french = _is_french(current)
    for match in _TOKEN.finditer(html):
        start = match.start()
        if french and start > pos:
            words = html[pos:start]
            spaced = french_text(words)
            if spaced != words:
                out += (html[kept:pos], spaced)
                kept = start
        pos = match.end()
        if match.group(3):  # a tag; elements matched whole (group 1) are left, as their content
            current = _follow(stack, match, current, lang)
            french = _is_french(current)
    if french and pos < len(html):
        out += (html[kept:pos], french_text(html[pos:]))
        kept = len(html)
    out.append(html[kept:])
    return "".join(out)


def _is_french(lang: str) -> bool:
    return lang[:2].lower() == "fr"


def _follow(stack: list[tuple[str, str]], tag: re.Match, current: str, outside: str) -> str:
    """Keep the stack of open elements in step with one tag (HTML closes unclosed children);
    return the language after it."""
    closing, name, attributes = tag.group(2), tag.group(3).lower(), tag.group(4)
    if closing:
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] == name:
                del stack[depth:]
                break
        return stack[-1][1] if stack else outside
    if name in _VOID or attributes.endswith("/"):
        return current
    if "verbatim" in attributes and _VERBATIM.search(attributes):
        stack.append((name, VERBATIM))  # words quoted as written: no language's typography, however deep
        return VERBATIM
    declared = _LANG.search(attributes) if "lang" in attributes else None
    stack.append((name, declared.group(1) if declared and declared.group(1) and current != VERBATIM else current))
    return stack[-1][1]


def html(markup: str, lang: str) -> str:
    """HTML in a language, with that language's typography (French: the rules above)."""
    if not lang.startswith("fr") and not re.search(r"""(?<![\w-])lang\s*=\s*["']?fr""", markup):
        return markup  # nothing French in it
    return french_html(markup, lang)


def text(words: str, lang: str) -> str:
    """Plain text in a language, with that language's typography (for attributes, PDF field names)."""
    return french_text(words) if lang == "fr" else words
