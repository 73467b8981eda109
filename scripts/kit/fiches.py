"""The worksheets' web pages, from the worksheet data through the templates of overrides/kit/.

- `page_files`: the pages /fiches/<id>/ and /fiches/<id>/projection/ of every worksheet, in each
  language, as the build adds them to docs/ (front matter only: `worksheet: ID`, and `view:
  projection`); nothing for them is written in docs/;
- `page_meta` and `page_markdown`: those pages' title, description and text, from the worksheet data;
- `box`: the `<!-- kit:worksheet ID -->` marker in a content page (title, questions, link);
- `listing`: the `<!-- kit:worksheet-list -->` marker on /fiches/ (the packs, then every worksheet).

PDF links are keyed by edition as `addresses.edition` names them: "letter", "a4", "large-print".

Links to pages and to the PDFs are Markdown links, so the strict build checks them.
"""

from __future__ import annotations

import posixpath

from kit import addresses, data, templates, text

VIEWS = ("page", "projection")
PDF_LIB = "assets/javascripts/vendor/pdf-lib.min.js"  # loaded by kit-answers.js only to download answers
PDF_SCRIPT = "assets/javascripts/kit-answers-pdf.js"  # likewise: draws the answers into the PDF


def source_link(from_src: str, to_src: str) -> str:
    """A Markdown link target from one docs/ file to another (both as MkDocs' src_uri)."""
    path, _, anchor = to_src.partition("#")
    link = posixpath.relpath(path, posixpath.dirname(from_src) or ".")
    return link + (f"#{anchor}" if anchor else "")


def page_files(sheet: data.Worksheet) -> dict[str, str]:
    """The pages the build adds to docs/ for a worksheet, each language's file named as
    static-i18n expects ("fiches/ID.md", "fiches/ID.en.md", "fiches/ID/projection.md", …), with
    their text: front matter naming the worksheet and the view (page_markdown writes the rest)."""
    out = {}
    for view in VIEWS:
        stem = f"fiches/{sheet.id}" + ("/projection" if view == "projection" else "")
        meta = f"worksheet: {sheet.id}" + ("\nview: projection" if view == "projection" else "")
        for lang in addresses.LANGS:
            out[addresses.source(stem + ".md", lang)] = f"---\n{meta}\n---\n"
    return out


def sheet_for(kit: data.Kit, meta: dict, src: str) -> tuple[data.Worksheet, str]:
    """The worksheet and view a worksheet page names in its front matter (see page_files)."""
    sheet, view = kit.worksheet(str(meta.get("worksheet"))), meta.get("view", "page")
    if sheet is None:
        raise data.KitError(f"{src}: front matter 'worksheet: {meta.get('worksheet')}' names no worksheet; "
                            f"use one of {', '.join(s.id for s in kit.worksheets)}.")
    if view not in VIEWS:
        raise data.KitError(f"{src}: front matter 'view: {view}' is unknown; use {' or '.join(VIEWS)}.")
    return sheet, view


def page_meta(kit: data.Kit, sheet: data.Worksheet, view: str, lang: str) -> dict:
    """Title, description and source of a worksheet page, for its <head> and its source box."""
    t, title, description = kit.t(lang), text.plain(sheet.title[lang]), text.plain(sheet.description[lang])
    if view == "projection":
        return {"title": f"{t['projection']} — {title}", "description": f"{t['projection']} — {description}",
                "sources": [sheet.source], "template": "projection.html", "hide": ["navigation", "toc", "footer"],
                "search": {"exclude": True}}  # the worksheet's page has the same text: one search result
    return {"title": title, "description": f"{t['worksheet']} — {description}", "sources": [sheet.source]}


def printed_address(site_url: str, url: str) -> str:
    """The address a printed page gives for a file: the published one, or, in a build for the local
    preview (no SITE_URL), the file's path in the kit, since this computer's address means nothing on paper."""
    return url if addresses.is_local_preview(site_url) else addresses.absolute(site_url, url)


def page_markdown(kit: data.Kit, sheet: data.Worksheet, view: str, lang: str, site_url: str, contact: str = "") -> str:
    """The Markdown body of /fiches/<id>/ or /fiches/<id>/projection/ in one language; `contact`
    (the day's, from extra.event) is whom the answer boxes tell to send the downloaded PDF to."""
    context = {"sheet": sheet, "lang": lang, "t": kit.t(lang), "abbr": kit.abbreviations(lang)}
    src = f"fiches/{sheet.id}.md"
    if view == "projection":
        return templates.render("projection.md", back=source_link(f"fiches/{sheet.id}/projection.md", src), **context)
    page_url = addresses.worksheet(sheet.id, lang)
    pdfs = {addresses.edition(paper, print_): addresses.handout(addresses.handout_name(sheet.id, paper, print_), lang)
            for print_, paper in addresses.editions()}  # keyed "letter", "a4", "large-print"
    links = {key: source_link(src, addresses.unprefixed(path)) for key, path in pdfs.items()}
    links.update(projection=source_link(src, f"fiches/{sheet.id}/projection.md"), context=source_link(src, sheet.page))
    return templates.render(
        "worksheet.md", links=links, pdf_url=printed_address(site_url, pdfs[addresses.edition(addresses.PAPERS[0])]),
        hrefs={**{key: addresses.relative(page_url, path) for key, path in pdfs.items()},
               "pdf_lib": addresses.relative(page_url, PDF_LIB), "pdf_script": addresses.relative(page_url, PDF_SCRIPT)},
        download_name=f"{sheet.id}-{kit.t(lang)['answers_file']}", contact=contact, **context)


def box(kit: data.Kit, lang: str, sheet_id, src: str) -> str:
    """The worksheet box inside a content page: its title, its questions, a link to its page."""
    sheet = kit.worksheet(str(sheet_id))
    if sheet is None:
        raise data.KitError(f"{src}: marker 'kit:worksheet {sheet_id}' names no worksheet; "
                            f"use one of {', '.join(s.id for s in kit.worksheets)}.")
    return templates.render("worksheet-box.md", sheet=sheet, lang=lang, t=kit.t(lang), abbr=kit.abbreviations(lang),
                            link=source_link(src.removeprefix("docs/"), f"fiches/{sheet.id}.md"))


def listing(kit: data.Kit, lang: str, arg, src: str) -> str:
    """The packs, then every worksheet with its printable versions and its projection."""
    t, here = kit.t(lang), src.removeprefix("docs/")
    pdf = lambda name: source_link(here, addresses.HANDOUT_FOLDER + name)  # noqa: E731
    editions = addresses.editions()
    packs = [{"title": t[f"pack_{a}"], "hint": t[f"pack_{a}_hint"], "anchor": f"trousse-{a}",
              "links": {addresses.edition(p, pr): pdf(addresses.pack_name(a, p, pr))
                        for pr, p in editions if a in addresses.audiences(pr)}} for a in addresses.AUDIENCES]
    sheets = [{"sheet": sheet, "links": {**{addresses.edition(p, pr): pdf(addresses.handout_name(sheet.id, p, pr))
                                            for pr, p in editions},
                                         "page": source_link(here, f"fiches/{sheet.id}.md"),
                                         "projection": source_link(here, f"fiches/{sheet.id}/projection.md")}}
              for sheet in kit.worksheets]
    return templates.render("worksheet-list.md", lang=lang, t=t, packs=packs, sheets=sheets)


def projections(kit: data.Kit, lang: str, arg, src: str) -> str:
    """The `<!-- kit:projections -->` marker: a link to each worksheet's projection page."""
    here = src.removeprefix("docs/")
    sheets = [{"sheet": s, "link": source_link(here, f"fiches/{s.id}/projection.md")} for s in kit.worksheets]
    return templates.render("projections.md", sheets=sheets, lang=lang)
