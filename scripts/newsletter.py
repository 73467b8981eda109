"""The page /liens/: every page and handout of one language with its absolute address,
grouped as in the navigation, ready to paste into the newsletter.

It is generated, never hand-kept: the Markdown marker `<!-- kit:links -->` leaves a
placeholder, which `fill()` replaces once the navigation is known (the page-context event),
with the pages of the navigation and the handouts of `handouts.catalogue()`.
"""

from __future__ import annotations

import html
import posixpath

import handouts

PLACEHOLDER = '<div class="kit-links" data-kit-links="1"></div>'
TEXT = {
    "fr": {"home": "Pages", "paper": {"letter": "papier lettre", "a4": "papier A4"}, "pdf": "PDF"},
    "en": {"home": "Pages", "paper": {"letter": "letter paper", "a4": "A4 paper"}, "pdf": "PDF"},
}


def render_placeholder(lang: str, arg, src: str) -> str:
    """The marker's Markdown: a placeholder that `fill` replaces."""
    return PLACEHOLDER


def _pages(items):
    """The navigation's pages, depth first."""
    for item in items:
        if item.is_page:
            yield item
        elif item.children:
            yield from _pages(item.children)


def _item(page, current, site_url: str, extra: str = "") -> str:
    title = html.escape(page.title or "")
    description = html.escape((page.meta or {}).get("description", ""))
    href = posixpath.relpath(page.url or ".", current.url or ".")  # directory URLs: a page is a folder
    href = "./" if href == "." else href + "/"
    return (f'<li><a href="{html.escape(href)}">{title}</a> — {description}<br>'
            f'<code>{html.escape(site_url + page.url)}</code>{extra}</li>')


def _handout_list(entries, site_url: str, lang: str) -> str:
    t = TEXT[lang]
    items = []
    for entry in entries:  # a pack is named; a worksheet's PDF is its page's
        name = f'{html.escape(entry["title"])}, ' if entry["kind"] == "pack" else ""
        items.append(f'<li>{name}{t["pdf"]}, {t["paper"][entry["paper"]]}: '
                     f'<code>{html.escape(site_url + entry["path"])}</code></li>')
    return '<ul class="kit-handouts">' + "".join(items) + "</ul>"


def fill(content: str, page, nav, config, lang: str) -> str:
    """Replace the placeholder with the grouped list of pages and handouts."""
    site_url = config.site_url or "/"
    catalogue = [e for e in handouts.catalogue(site_url) if e["lang"] == lang]
    by_page: dict[str, list] = {}
    for entry in catalogue:
        by_page.setdefault(entry["url"], []).append(entry)
    groups, loose = [], []
    for item in nav.items:
        pages = list(_pages([item]))
        if not item.is_page:
            groups.append((item.title, pages))
        else:
            loose += pages
    if loose:
        groups.insert(0, (TEXT[lang]["home"], loose))
    out = []
    for number, (title, pages) in enumerate(groups, 1):
        out.append(f'<h2 id="groupe-{number}">{html.escape(title)}</h2><ul class="kit-links-list">')
        for listed in pages:
            entries = by_page.get(site_url + listed.url, [])
            out.append(_item(listed, page, site_url, _handout_list(entries, site_url, lang) if entries else ""))
        out.append("</ul>")
    return content.replace(PLACEHOLDER, "\n".join(out))
