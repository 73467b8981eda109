"""The « En bref » / "In short" box: the kit's own summary of a page or worksheet, in plain words.

A summary is a list of sentences, five to eight in each language: a worksheet carries
`summary: {fr: […], en: […]}` in its data file, a content page `summary: […]` in the front matter
of each language's file. The same template (overrides/kit/summary.html) shows it right after the
page's title, on the first slide of a projection and at the top of each worksheet in the PDFs.

`problems()` says what breaks the plain-language rules a machine can check (Inclusion Europe's
*Information for all*): five to eight sentences, one sentence an item, none over 20 words, no
acronym. It refuses a word of two capitals or more (RRASMQ, NGP, MSSS…): spell the name out.
Whether the words are everyday ones, and whether the sources say it, a person checks.
"""

from __future__ import annotations

import re

from kit import text

FEWEST, MOST = 5, 8  # sentences in each language
LONGEST = 20  # words in a sentence
WORD = re.compile(r"[^\s\u00a0\u202f]+")  # what a reader counts: runs of characters between spaces
LETTER = re.compile(r"\w")
ACRONYM = re.compile(r"\b[A-ZÀ-Ý]{2,}\b")  # two capitals or more in a row (a single capital starts a word)
SENTENCE_END = re.compile(r"[.!?…][»”)]*$")
INNER_END = re.compile(r"[.!?]\s+[«“]?[A-ZÀ-Ý]")  # a full stop followed by a new sentence
PAGES = ("gestion-et-gouvernance.md", "assises-democratiques.md", "enjeux.md", "charlevoix.md", "concertation.md")
"""The content pages that must open with a summary (their French file; the English follows)."""


def words(sentence: str) -> list[str]:
    """The words of a sentence as a reader counts them: "l’équipe" is one, a lone « or : is none."""
    return [w for w in WORD.findall(text.plain(sentence)) if LETTER.search(w)]


def problems(sentences) -> list[str]:
    """What breaks the rules, one message each ('sentence 3 has 21 words: «…»; …'); empty when fine."""
    if not isinstance(sentences, list) or not all(isinstance(s, str) and s.strip() for s in sentences):
        return ["must be a list of sentences, each a text on its own line starting with '- '"]
    out = []
    if not FEWEST <= len(sentences) <= MOST:
        out.append(f"has {len(sentences)} sentences; write {FEWEST} to {MOST}")
    for number, sentence in enumerate(sentences, 1):
        plain = text.plain(sentence)
        count = len(words(sentence))
        if count > LONGEST:
            out.append(f"sentence {number} has {count} words ({plain[:60].rstrip()}…); write at most {LONGEST}: split it in two")
        found = ACRONYM.findall(plain)
        if found:
            out.append(f"sentence {number} uses the acronym {', '.join(found)}; write the name out in everyday words")
        if not SENTENCE_END.search(plain) or INNER_END.search(plain):
            out.append(f"sentence {number} ({plain[:60].rstrip()}…) must be one sentence ending with . ! or ?; "
                       "put each sentence on its own line")
        found_html = text.html_in(sentence)
        if found_html:
            out.append(f"sentence {number} contains HTML ({found_html!r}…); write plain text")
    return out
