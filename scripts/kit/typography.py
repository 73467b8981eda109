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
# then any tag; the text between them is what typography applies to.
_TOKEN = re.compile(r"<(script|style|pre|code|textarea|kbd)\b[^>]*>.*?</\1\s*>|<!--.*?-->|<[^>]+>", re.S | re.I)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b([^>]*?)(/?)>", re.S)
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
    out = []
    stack: list[tuple[str, str]] = []  # open elements and the language each one is in
    pos = 0
    for match in _TOKEN.finditer(html):
        current = stack[-1][1] if stack else lang
        out.append(_in_language(html[pos:match.start()], current))
        out.append(match.group(0))
        pos = match.end()
        tag = _TAG.fullmatch(match.group(0))
        if tag and not match.group(1):
            _follow(stack, tag, current)
    out.append(_in_language(html[pos:], stack[-1][1] if stack else lang))
    return "".join(out)


def _in_language(words: str, lang: str) -> str:
    return french_text(words) if lang.lower().startswith("fr") else words


def _follow(stack: list[tuple[str, str]], tag: re.Match, current: str) -> None:
    """Keep the stack of open elements in step with one tag (HTML closes unclosed children)."""
    closing, name, attributes, self_closing = tag.group(1), tag.group(2).lower(), tag.group(3), tag.group(4)
    if closing:
        names = [open_name for open_name, _ in stack]
        if name in names:
            del stack[len(names) - 1 - names[::-1].index(name):]
        return
    if name in _VOID or self_closing:
        return
    if _VERBATIM.search(attributes):
        stack.append((name, VERBATIM))  # words quoted as written: no language's typography, however deep
        return
    declared = _LANG.search(attributes)
    stack.append((name, declared.group(1) if declared and declared.group(1) and current != VERBATIM else current))


def html(markup: str, lang: str) -> str:
    """HTML in a language, with that language's typography (French: the rules above)."""
    if not lang.startswith("fr") and not re.search(r"""(?<![\w-])lang\s*=\s*["']?fr""", markup):
        return markup  # nothing French in it
    return french_html(markup, lang)


def text(words: str, lang: str) -> str:
    """Plain text in a language, with that language's typography (for attributes, PDF field names)."""
    return french_text(words) if lang == "fr" else words
