"""Web pages of the worksheets, rendered as Markdown from the worksheet data.

- `page_markdown`: the body of /fiches/<id>/, whose file in docs/ holds only `worksheet: ID`;
- `render_box`: the `<!-- kit:worksheet ID -->` marker in a content page (title, questions, link);
- `render_list`: the `<!-- kit:worksheet-list -->` marker on /fiches/ (every worksheet and pack).

Links to PDFs are raw HTML, because MkDocs does not know files made after it: the kit's link
check (`scripts/build.py check`) verifies them on the built site.
"""

from __future__ import annotations

import posixpath

import pages
import worksheets
from worksheets import PAPERS

TEXT = {
    "fr": {
        "worksheet": "Fiche de discussion",
        "open": "Ouvrir la fiche",
        "open_hint": "pour qui, durée, mise en contexte et version imprimable",
        "who": "Pour qui",
        "duration": "Durée suggérée",
        "minutes": "minutes",
        "context": "Mise en contexte",
        "read_more": "Lire la page d’où vient cette fiche",
        "questions": "Questions",
        "facilitator": "Pour les personnes qui animent",
        "facilitator_heading": "Notes pour l’animation",
        "download": "Version imprimable et remplissable (PDF)",
        "paper": {"letter": "papier lettre", "a4": "papier A4"},
        "pack": {"participant": "Trousse des participantes et participants", "facilitator": "Trousse de l’animation"},
        "pack_hint": {
            "participant": "toutes les fiches, précédées des définitions clés",
            "facilitator": "toutes les fiches avec les notes pour l’animation",
        },
        "scale": "Cochez",
        "all": "Toutes les fiches",
        "packs": "Tout imprimer d’un coup",
    },
    "en": {
        "worksheet": "Discussion worksheet",
        "open": "Open the worksheet",
        "open_hint": "who takes part, duration, context and printable version",
        "who": "Who takes part",
        "duration": "Suggested duration",
        "minutes": "minutes",
        "context": "Context",
        "read_more": "Read the page this worksheet comes from",
        "questions": "Questions",
        "facilitator": "For facilitators",
        "facilitator_heading": "Notes for facilitators",
        "download": "Printable, fillable version (PDF)",
        "paper": {"letter": "letter paper", "a4": "A4 paper"},
        "pack": {"participant": "Participants’ pack", "facilitator": "Facilitator’s pack"},
        "pack_hint": {
            "participant": "all worksheets, preceded by the key definitions",
            "facilitator": "all worksheets with the notes for facilitators",
        },
        "scale": "Tick",
        "all": "All worksheets",
        "packs": "Print everything at once",
    },
}


def _href(from_page: str, to_path: str) -> str:
    """Relative href from a page address (e.g. fiches/echange-1/) to a site path."""
    return posixpath.relpath(to_path, from_page.rstrip("/") or ".")


def _pdf_links(lang: str, from_page: str, paths: dict) -> str:
    t = TEXT[lang]
    items = [
        f'<a href="{_href(from_page, paths[paper])}" download>PDF, {t["paper"][paper]}</a>'
        for paper in PAPERS
    ]
    return " · ".join(items)


def render_box(lang: str, sheet_id, src: str) -> str:
    """The worksheet box inside a content page: its title, its questions, a link to its page."""
    sheets = worksheets.by_id()
    if sheet_id not in sheets:
        raise pages.PageError(f"{src}: marker 'kit:worksheet {sheet_id}' names no worksheet; use one of {', '.join(sheets)}.")
    sheet, t = sheets[sheet_id], TEXT[lang]
    questions = "\n".join(f"    {n}. {q[lang]}" for n, q in enumerate(sheet["questions"], 1))
    target = pages.link(src.removeprefix("docs/"), f"fiches/{sheet_id}.md")
    return (
        f'!!! question "{t["worksheet"]}: {sheet["title"][lang]}"\n\n'
        f"{questions}\n\n    [{t['open']}]({target}) — {t['open_hint']}.\n"
    )


def render_list(lang: str, arg, src: str) -> str:
    """Every worksheet with its printable versions, then the two packs."""
    t, page = TEXT[lang], f"{worksheets.lang_prefix(lang)}fiches/"
    out = [f"## {t['all']} {{ #toutes }}\n"]
    for sheet in worksheets.load_all():
        sheet_id = sheet["id"]
        paths = {paper: worksheets.handout_path(sheet_id, lang, paper) for paper in PAPERS}
        out.append(
            f"### [{sheet['title'][lang]}]({sheet_id}.md) {{ #{sheet_id} }}\n\n"
            f"{t['duration']}: {sheet['duration']} {t['minutes']} — {_pdf_links(lang, page, paths)}\n"
        )
    out.append(f"## {t['packs']} {{ #trousses }}\n")
    for audience in worksheets.PACKS:
        paths = {paper: worksheets.pack_path(audience, lang, paper) for paper in PAPERS}
        out.append(f"- **{t['pack'][audience]}** ({t['pack_hint'][audience]}) — {_pdf_links(lang, page, paths)}")
    return "\n".join(out) + "\n"


def sheet_for_page(sheet_id, src: str) -> dict:
    """The worksheet a stub page names in its front matter (`worksheet: ID`)."""
    sheets = worksheets.by_id()
    if sheet_id not in sheets:
        raise pages.PageError(f"{src}: front matter 'worksheet: {sheet_id}' names no worksheet; use one of {', '.join(sheets)}.")
    return sheets[sheet_id]


def page_meta(sheet: dict, lang: str) -> dict:
    """Title, description and source of a worksheet page, for its <head> and the source box."""
    return {
        "title": sheet["title"][lang],
        "description": f"{TEXT[lang]['worksheet']} — {sheet['questions'][0][lang]}",
        "sources": [sheet["source"]],
    }


def page_markdown(sheet: dict, lang: str) -> str:
    """The Markdown body of /fiches/<id>/ in one language."""
    t, sheet_id = TEXT[lang], sheet["id"]
    page = worksheets.page_path(sheet_id, lang)
    paths = {paper: worksheets.handout_path(sheet_id, lang, paper) for paper in PAPERS}
    context_link = pages.link(f"fiches/{sheet_id}.md", sheet["page"])
    questions = "\n".join(f"{n}. {question[lang]}" for n, question in enumerate(sheet["questions"], 1))
    scale = ""
    if sheet.get("scale"):
        scale = f"*{t['scale']}: " + " / ".join(sheet["scale"][lang]) + "*\n\n"
    facilitator = "\n".join(f"    {line}" if line else "" for line in sheet["facilitator"][lang].strip().split("\n"))
    return f"""# {sheet['title'][lang]} {{ #fiche }}

**{t['who']}:** {sheet['participants'][lang]}  
**{t['duration']}:** {sheet['duration']} {t['minutes']}

<p class="worksheet-download"><strong>{t['download']}:</strong> {_pdf_links(lang, page, paths)}</p>

## {t['context']} {{ #contexte }}

{sheet['context'][lang].strip()}

[{t['read_more']}]({context_link})

## {t['questions']} {{ #questions }}

{scale}{questions}

## {t['facilitator_heading']} {{ #animation }}

??? note "{t['facilitator']}"

{facilitator}
"""
