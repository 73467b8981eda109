"""MkDocs hooks of the kit: thin calls into the small modules beside this file (`pages`,
`fiches`, `handouts`, `typography`, `markup`, `search`, `redirects`, `offline`, `newsletter`).

mkdocs-static-i18n runs a whole build once per language, so these hooks keep no state at
module level: everything they need comes from their arguments. Content problems raise
`PluginError`, which stops the build (served or strict) with a message that names the file.
"""

from __future__ import annotations

import functools

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

import fiches
import handouts
import kitdata
import markup
import newsletter
import offline
import pages
import redirects
import search
import typography
import worksheets

RENDERERS = {
    **pages.RENDERERS,
    "worksheet": fiches.render_box,
    "worksheet-list": fiches.render_list,
    "links": newsletter.render_placeholder,
    "offline": offline.render_download,
}


def _lang(config) -> str:
    """The language being built; static-i18n sets it in its own on_config, after ours."""
    return config.theme["language"]


def on_config(config):
    """Worksheet pages join the navigation after fiches/index.md, in the order of index.yml."""
    try:
        sheets = worksheets.load_all()
    except kitdata.KitDataError as err:
        raise PluginError(str(err)) from None
    section = _nav_section(config.nav or [], "fiches/index.md")
    if section is None:
        raise PluginError("mkdocs.yml: 'nav' has no section containing fiches/index.md; the worksheet pages go there.")
    for sheet in sheets:
        entry = f"fiches/{sheet['id']}.md"
        if entry not in section:
            section.append(entry)
    return config


def _nav_section(items: list, target: str):
    """The list in the nav that contains `target`, searched depth first."""
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if value == target:
            return items
        if isinstance(value, list):
            found = _nav_section(value, target)
            if found is not None:
                return found
    return None


def on_pre_build(config):
    """Only the French build writes the root 404 page, which is bilingual (static-i18n would let
    the language built last overwrite it). The language is known from here on, not in on_config."""
    if _lang(config) != "fr":
        config.theme.static_templates.discard("404.html")


def on_files(files, config):
    """Every worksheet has its page, every page its translation, with the same headings."""
    sources = {f.src_uri for f in files if f.src_uri.endswith(".md")}
    for sheet in worksheets.load_all():
        stub = f"fiches/{sheet['id']}.md"
        if stub not in sources:
            raise PluginError(
                f"data/worksheets/{sheet['id']}.yml has no page: create docs/{stub} and docs/fiches/{sheet['id']}.en.md "
                f"containing only the front matter '---\\nworksheet: {sheet['id']}\\n---'."
            )
    contents = {src: files.get_file_from_path(src).content_string for src in sources}
    problems = pages.translation_problems(contents)
    if problems:
        raise PluginError("Pages and translations do not match:\n  " + "\n  ".join(problems))
    return files


def on_page_markdown(markdown, page, config, files):
    """Add the source box, expand data markers and append the acronyms' definitions."""
    lang = _lang(config)
    src = f"docs/{page.file.src_uri}"
    try:
        if page.meta.get("worksheet"):
            sheet = fiches.sheet_for_page(page.meta["worksheet"], src)
            page.meta.update(fiches.page_meta(sheet, lang))
            markdown = fiches.page_markdown(sheet, lang)
        pages.check_front_matter(markdown, page.meta, src)
        if page.meta.get("sources"):
            markdown = pages.insert_after_title(markdown, pages.source_box(page.meta["sources"], lang, page.file.src_uri))
        event = functools.partial(pages.render_event, (config.extra or {}).get("event"))
        markdown = pages.expand_markers(markdown, lang, src, {**RENDERERS, "event": event})
        return markdown + "\n\n" + pages.abbreviations(lang) + "\n"
    except (pages.PageError, kitdata.KitDataError) as err:
        raise PluginError(str(err)) from None


def on_page_context(context, page, config, nav):
    """The links page is filled in once the whole navigation is known."""
    if newsletter.PLACEHOLDER in (page.content or ""):
        page.content = newsletter.fill(page.content, page, nav, config, _lang(config))
    return context


def on_post_page(output, page, config):
    """The theme's invalid markup is mended; French pages get OQLF typography on their text
    (navigation and titles included)."""
    output = markup.fix(output)
    if _lang(config) == "fr":
        return typography.french_html(output)
    return output


def on_post_template(output, template_name, config):
    """The same mending for pages rendered from a template alone (the 404 page)."""
    return markup.fix(output) if template_name.endswith(".html") else output


@event_priority(-200)  # after static-i18n, which builds English and merges the search index at -100
def on_post_build(config):
    """Once every language is built: one search index per language, redirects for moved
    addresses, the PDF handouts of both languages, then the offline zip of it all."""
    i18n = config.plugins.get("i18n")
    if i18n is not None and i18n.building:
        return  # one language's build inside static-i18n's loop; the outer build ends last
    site_url = config.site_url or "http://127.0.0.1:8000/"
    search.split(config.site_dir)
    try:
        redirects.write(config.site_dir, site_url)
        handouts.build(config.site_dir, site_url)
    except (handouts.HandoutError, kitdata.KitDataError) as err:
        raise PluginError(str(err)) from None
    offline.package(config.site_dir, site_url)
