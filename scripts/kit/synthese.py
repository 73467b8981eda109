"""The `<!-- kit:synthese -->` marker of /synthese/: the page where the answers sent back are
gathered in the browser (docs/assets/javascripts/kit-synthese.js, with pdf-lib).

Renders the chooser of files, the empty synthesis the script fills in, and, as JSON in the page,
what the script must know of the kit: the pattern of the kit's field names (kit.fields' own, the
one collect reads with, so that both read the same fields), every worksheet's id, title, field
names (kit.fields.names), questions and notes
in both languages (the CSV gives a question's text in the file's language, as `make collect`
does), and the words the script writes with. No list of the kit is written by hand in the
script. Refuses a marker with an argument (there is one part only).
"""

from __future__ import annotations

from kit import addresses, collect, data, fields, templates, text, typography

# The labels kit-synthese.js writes with ({n}… filled in there), in the page's language.
SCRIPT_WORDS = (
    "collect_sheets", "collect_answers", "collect_files", "collect_worksheet", "collect_returned",
    "collect_per_question", "collect_choice", "collect_notes", "collect_no_group", "collect_unknown",
    "collect_not_read", "collect_none_missing", "collect_duplicate", "collect_not_pdf", "collect_damaged",
    "collect_no_fields", "collect_empty", "question_n", "question_short", "collect_encrypted", "synthese_long",
    "synthese_reading", "synthese_done", "synthese_none", "synthese_failed", "synthese_counts_heading",
    "synthese_answers_heading", "synthese_copy_of", "collect_title", "collect_made",
)


def script_data(kit: data.Kit, lang: str) -> dict:
    """What kit-synthese.js needs: the kit's worksheets and the words of the page. Question texts
    are plain text as `make collect` writes them in synthese.csv (no typography: they are data)."""
    langs = addresses.LANGS
    t = kit.t(lang)
    sheets = [{"id": s.id, "title": typography.text(text.plain(s.title[lang]), lang), "scale": bool(s.scale),
               "fields": fields.names(s),
               "questions": {code: [text.plain(q[code]) for q in s.questions] for code in langs},
               "notes": {code: text.plain(s.notes[code]) for code in langs}} for s in kit.worksheets]
    return {"field": fields.pattern().pattern.replace("(?P<", "(?<"),  # Python's named groups, in JavaScript's spelling
            "langs": list(langs), "default": addresses.DEFAULT, "columns": collect.COLUMNS,
            "unknown": {code: kit.t(code)["collect_unknown"] for code in langs},
            "sheets": sheets,
            "colon": typography.text("a: b", lang)[1:-1],  # ": " as the page's language writes it (French: "\u00a0: ")
            "words": {key: typography.text(t[key], lang) for key in SCRIPT_WORDS}}


def page(kit: data.Kit, lang: str, arg, src: str) -> str:
    """The chooser, the actions and the (empty) synthesis of /synthese/."""
    if arg:
        raise data.KitError(f"{src}: marker 'kit:synthese {arg}' takes nothing after its name; write '<!-- kit:synthese -->'.")
    return templates.render("synthese.html", t=kit.t(lang), script=script_data(kit, lang))
