"""The listening controls ("Écouter" / "Listen") written into a built page where they stay.

`offered(meta)`: which pages offer listening (a source, a worksheet or `listen: true` in the front
matter). `place(kit, html, meta, lang, page)`: the page's HTML with the controls
(overrides/kit/listen.html) right after its title, the first h1 of the article, or, on a projection,
among its controls before their help line. Placed at build time, so that kit-listen.js only fills
them in and never moves them: moved after the first paint, they pushed the page below down (a
layout shift). Done on the finished page (scripts/hooks.py, on_post_page), after the search plugin
took the page's text: the controls' words are not in the search index.

Refuses a page that offers listening but has no title and no projection controls to hold them,
naming its file.
"""

from __future__ import annotations

import re

from kit import data, templates

ARTICLE = re.compile(r"<article\b")
TITLE_END = re.compile(r"<h1\b[^>]*>.*?</h1>", re.S)
PROJECTION_HELP = '<p class="kit-projection-help">'


def offered(meta: dict | None) -> bool:
    """True for a page that offers listening: the content pages and the guide (a source), worksheet
    pages and projections, and pages whose front matter says `listen: true`."""
    meta = meta or {}
    return bool(meta.get("sources") or meta.get("worksheet") or meta.get("listen"))


def place(kit: data.Kit, html: str, meta: dict | None, lang: str, src: str) -> str:
    """The page with its listening controls where they stay; unchanged when it offers none."""
    if not offered(meta):
        return html
    box = templates.render("listen.html", t=kit.t(lang)).strip()
    at = html.find(PROJECTION_HELP)
    if at < 0:
        article = ARTICLE.search(html)
        title = TITLE_END.search(html, article.end()) if article else None
        if title is None:
            raise data.KitError(f"{src}: this page offers listening but has no title ('# …' line) to put the "
                                "Listen button under; give it one, or remove 'listen: true' from its front matter.")
        at = title.end()
    return html[:at] + "\n" + box + "\n" + html[at:]
