"""The page /liens/: every page and handout of one language with its absolute address, grouped
as in the navigation, ready to paste into the newsletter.

It is generated, never hand-kept: the marker `<!-- kit:links -->` leaves a placeholder, which
`fill()` replaces once the navigation is known (the page-context event), with the pages of the
navigation and the handouts of `handouts.catalogue()`.
"""

from __future__ import annotations

from kit import addresses, data, handouts, templates

PLACEHOLDER = '<div class="kit-links" data-kit-links="1"></div>'


def render_placeholder(kit: data.Kit, lang: str, arg, src: str) -> str:
    """The marker's Markdown: a placeholder that `fill` replaces."""
    return PLACEHOLDER


def _pages(items):
    """The navigation's pages, depth first."""
    for item in items:
        if item.is_page:
            yield item
        elif item.children:
            yield from _pages(item.children)


def _projection(kit: data.Kit, listed, site_url: str, lang: str) -> dict | None:
    """A page's projection page, listed with it (it is not in the menu): a worksheet's, or the day's
    beside the planner (/deroulement/projection/)."""
    meta = listed.meta or {}
    if meta.get("worksheet"):
        return {"label": kit.t(lang)["project"], "address": addresses.absolute(site_url, addresses.projection(meta["worksheet"], lang))}
    if meta.get("day") == "planner":
        return {"label": kit.t(lang)["day_project"], "address": addresses.absolute(site_url, listed.url + "projection/")}
    return None


def fill(kit: data.Kit, content: str, page, nav, site_url: str, lang: str) -> str:
    """Replace the placeholder with the grouped list of pages and handouts."""
    by_page: dict[str, list] = {}
    t = kit.t(lang)
    for handout in handouts.catalogue(kit):
        if handout.lang == lang:
            edition = t["print_large"] if handout.print == addresses.LARGE else t[f"paper_{handout.paper}"]
            by_page.setdefault(handout.page, []).append(
                {"kind": handout.kind, "title": handout.title, "edition": edition,
                 "address": addresses.absolute(site_url, handout.path)})
    groups, loose = [], []
    for item in nav.items:
        if item.is_page:
            loose.append(item)
        else:
            groups.append({"title": item.title, "pages": list(_pages([item]))})
    if loose:
        groups.insert(0, {"title": kit.t(lang)["links_pages"], "pages": loose})
    for group in groups:
        group["pages"] = [{"title": listed.title or "", "description": (listed.meta or {}).get("description", ""),
                           "href": addresses.relative(page.url, listed.url),
                           "address": addresses.absolute(site_url, listed.url),
                           "projection": _projection(kit, listed, site_url, lang),
                           "handouts": by_page.get(listed.url, [])} for listed in group["pages"]]
    return content.replace(PLACEHOLDER, templates.render("links.html", groups=groups, t=kit.t(lang)))
