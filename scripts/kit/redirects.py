"""Pages left at addresses that moved, in both languages, from data/redirects.yml.

mkdocs-redirects cannot serve here: in static-i18n's English build it looks for the target under
its French file name, warns that it does not exist, and so fails every strict build. The kit
adds each redirect page to the build's files instead (`files()`), for each language.

Refuses: an old address that is still a page, a target that is not one. Both addresses are
slugs (checked when data/redirects.yml is read), so no redirect can be written outside site/.
"""

from __future__ import annotations

from kit import addresses, data, templates


def pages(kit: data.Kit, lang: str, site_url: str, built: set[str]) -> dict[str, str]:
    """{file to write (site-relative, e.g. en/charlevoix/index.html): its HTML} for one language.
    `built` holds the addresses of the language's pages."""
    out = {}
    for old, new in kit.redirects.items():
        new_path, _, fragment = new.partition("#")
        old_url = addresses.prefix(lang) + old.strip("/") + "/"
        new_url = addresses.prefix(lang) + new_path.strip("/") + "/"
        if new_url not in built:
            raise data.KitError(f"data/redirects.yml: '{old}: {new}' leads to /{new_url}, which is not a page; fix the new address.")
        if old_url in built:
            raise data.KitError(f"data/redirects.yml: '{old}' is still a page (/{old_url}); remove the line or the page.")
        relative = addresses.relative(old_url, new_url) + (f"#{fragment}" if fragment else "")
        out[old_url + "index.html"] = templates.render(
            "redirect.html", lang=lang, t=kit.t(lang), relative=relative,
            absolute=addresses.absolute(site_url, new_url) + (f"#{fragment}" if fragment else ""))
    return out
