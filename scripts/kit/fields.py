"""The names of a worksheet's form fields: the one place that spells them.

A field is named `<worksheet id>-<part>`: `echange-1-group` (the resource or group),
`echange-1-q1` (the answer to question 1), `echange-1-q1-choice` (its choice, where the worksheet
offers a scale), `echange-1-notes`. The page's answer boxes (overrides/kit/answers.html) and the
PDF handouts (overrides/handouts/handout.html) call `name()` through the Jinja global `field`;
`make collect` and /synthese/ read names back with `pattern()`, made from the same parts; the
page's scripts read names from the page, never spell them.

Refuses a part it does not know, and a question number below 1 (a ValueError: a mistake in the
kit's own code or templates, not in data).
"""

from __future__ import annotations

import re

SEPARATOR = "-"  # between the worksheet's id and the part, and inside a choice's part
GROUP = "group"
NOTES = "notes"
QUESTION = "q"  # followed by the question's number: q1, q2…
CHOICE = "choice"  # after a question's part: q1-choice
KINDS = ("group", "question", "choice", "notes")  # what `name()` is asked for


def part(kind: str, number: int | None = None) -> str:
    """What follows the worksheet's id: "group", "q2", "q2-choice" or "notes"."""
    if kind not in KINDS:
        raise ValueError(f"unknown field kind {kind!r}; use one of {', '.join(KINDS)}")
    if kind in ("question", "choice"):
        if not isinstance(number, int) or number < 1:
            raise ValueError(f"a {kind} field needs its question's number (1 or more), not {number!r}")
        question = f"{QUESTION}{number}"
        return question + SEPARATOR + CHOICE if kind == "choice" else question
    return GROUP if kind == "group" else NOTES


def name(sheet_id: str, kind: str, number: int | None = None) -> str:
    """A field's name: name("echange-1", "question", 2) -> "echange-1-q2"."""
    return f"{sheet_id}{SEPARATOR}{part(kind, number)}"


def names(sheet) -> list[str]:
    """Every field of a worksheet, in the order of its form: group, each question (its choice
    first where it has a scale), notes."""
    out = [name(sheet.id, "group")]
    for number in range(1, len(sheet.questions) + 1):
        out += [name(sheet.id, "choice", number)] if sheet.scale else []
        out.append(name(sheet.id, "question", number))
    return out + [name(sheet.id, "notes")]


def pattern() -> re.Pattern:
    """The pattern field names are read back with. Its named groups: `sheet` (the id), `part`
    (all after it), and one set by the kind: `group`, `notes`, or `number` (with `choice` for a
    choice). Written so that JavaScript reads it too once `(?P<` is spelt `(?<` (synthese.py)."""
    sep, slug = re.escape(SEPARATOR), r"[a-z0-9]+(?:-[a-z0-9]+)*?"
    question = rf"{re.escape(QUESTION)}(?P<number>\d+)(?P<choice>{sep}{re.escape(CHOICE)})?"
    return re.compile(rf"^(?P<sheet>{slug}){sep}(?P<part>(?P<group>{re.escape(GROUP)})|(?P<notes>{re.escape(NOTES)})|{question})$")


def key(match: re.Match) -> str:
    """The question a field answers, as synthese.csv names it: "1", "1-choice" or "notes" (a
    group field answers none: "")."""
    if match["notes"] is not None:
        return "notes"
    if match["number"] is None:
        return ""
    return f"{int(match['number'])}-choice" if match["choice"] else str(int(match["number"]))
