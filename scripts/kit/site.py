"""What the hooks do to a build, one function per step (scripts/hooks.py calls them).

- `add_worksheets_to_nav`, `check_nav_translations`: the navigation (on_config);
- `check_sources`: no file reached through a link out of the project; every docs/ page readable, translated, with its headings and front matter;
  no docs/ file where the build makes a worksheet's page (on_files);
- `drop_template_files`: the kit's templates are not published as theme files (on_files);
- `add_worksheet_pages`, `fill_worksheet_pages`: each worksheet's page and projection in every
  language, made from its YAML alone (on_files, then on_nav: see add_worksheet_pages);
- `generated_files`: the handouts, handouts.json and redirect pages of one language (on_files);
- `page_markdown`: a page's Markdown as the kit completes it (on_page_markdown).
"""

from __future__ import annotations

import functools

from mkdocs.structure.files import File, Files, file_sort_key

from kit import addresses, data, fiches, handouts, newsletter, offline, pages, paths, redirects

TEMPLATE_FOLDERS = ("kit/", "handouts/")  # overrides/kit and overrides/handouts: not theme files


def add_worksheets_to_nav(kit: data.Kit, config) -> None:
    """Worksheet pages join the navigation after fiches/index.md, in the order of index.yml."""
    section = _nav_section(config.nav or [], "fiches/index.md")
    if section is None:
        raise data.KitError("mkdocs.yml: 'nav' has no section containing fiches/index.md; the worksheet pages go there.")
    for sheet in kit.worksheets:
        entry = f"fiches/{sheet.id}.md"
        if entry not in section:
            section.append(entry)


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


def _nav_titles(items: list):
    for item in items:
        if isinstance(item, dict):
            title, value = next(iter(item.items()))
            yield title
            if isinstance(value, list):
                yield from _nav_titles(value)


def check_nav_translations(config) -> None:
    """Every menu entry of mkdocs.yml has its label in each other language (nav_translations)."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return
    for language in i18n.config.languages:
        if language.locale == addresses.DEFAULT:
            continue
        missing = [title for title in _nav_titles(config.nav or []) if title not in (language.nav_translations or {})]
        if missing:
            raise data.KitError(f"mkdocs.yml: the menu entries {', '.join(repr(m) for m in missing)} have no "
                                f"'{language.locale}' label; add them under plugins: i18n: languages: "
                                f"{language.locale}: nav_translations.")


def check_sources(kit: data.Kit, files) -> None:
    """Pages readable as UTF-8, each with its translation, same headings, complete front matter;
    no page of docs/ standing where the build makes a worksheet's page."""
    outside = paths.links_out_of_the_project(paths.DOCS, paths.DATA, paths.OVERRIDES)
    if outside:
        raise data.KitError("\n".join(outside))
    contents = {}
    for file in files:
        if file.src_uri.endswith(".md") and file.abs_src_path and file.abs_src_path.startswith(str(paths.DOCS)):
            contents[file.src_uri] = data.read_text(file.abs_src_path)
    made = {src: sheet.id for sheet in kit.worksheets for src in fiches.page_files(sheet)}
    problems = [f"docs/{src}: the build makes this page from data/worksheets/{made[src]}.yml; delete docs/{src} "
                "(a worksheet is its YAML and its line in index.yml, nothing in docs/; its text goes in the YAML)."
                for src in sorted(made.keys() & contents.keys())]
    problems += pages.translation_problems({src: text for src, text in contents.items() if src not in made})
    if problems:
        raise data.KitError("Pages and translations do not match:\n  " + "\n  ".join(problems))


def drop_template_files(files):
    """The kit's templates live in overrides/ beside the theme's; they are not files of the site."""
    for file in [f for f in files if f.src_uri.startswith(TEMPLATE_FOLDERS) and str(paths.OVERRIDES) in (f.abs_src_path or "")]:
        files.remove(file)
    return files


def add_worksheet_pages(kit: data.Kit, files, config) -> Files:
    """Each worksheet's pages join the files as if they were in docs/ (fiches.page_files), before
    static-i18n picks each language's files (it files them by name, links each to its translation for
    the language switcher, the hreflang links and the sitemap, and finds the menu's entries). They
    are declared by their path only: static-i18n remakes every docs/ file from its path, so the text
    of a file made in memory would be lost (and one with no path stops it). Their text is given in
    fill_worksheet_pages. Returned in the order MkDocs reads docs/ (the search index's and sitemap's)."""
    for sheet in kit.worksheets:
        for src in fiches.page_files(sheet):
            files.append(File(src, config.docs_dir, config.site_dir, config.use_directory_urls))
    return Files(sorted(files, key=file_sort_key))


def fill_worksheet_pages(kit: data.Kit, files) -> None:
    """The text of this language's worksheet pages, in the files static-i18n made of them (on_nav,
    before any page is read). No file of docs/ is read or written for them."""
    for sheet in kit.worksheets:
        for src, text in fiches.page_files(sheet).items():
            file = files.src_uris.get(src)
            if file is not None:
                file.content_string = text
                file.edit_uri = None  # nothing in docs/ to edit: its text is data/worksheets/ID.yml (as MkDocs asks of generated files)


def generated_files(kit: data.Kit, lang: str, site_url: str, files) -> list[tuple[str, str, dict]]:
    """(src_uri, dest_uri, File.generated arguments) of the files the kit adds to one language's build."""
    out = []
    ready = handouts.prepare(kit, site_url)
    for item in ready:
        if item.handout.lang == lang:
            out.append((item.handout.src_uri, item.handout.path, {"abs_src_path": str(item.file)}))
    if lang == addresses.DEFAULT:
        out.append(("handouts.json", "handouts.json", {"content": handouts.manifest_json(ready, site_url)}))
    built = {addresses.page_of_source(f.src_uri) for f in files if f.src_uri.endswith(".md")}
    built = {url for url in built if addresses.lang_of(url) == lang}
    for path, html in redirects.pages(kit, lang, site_url, built).items():
        out.append((addresses.unprefixed(path), path, {"content": html}))
    return out


def template_context(kit: data.Kit, lang: str) -> dict:
    """What the theme's templates get from the kit: labels in the page's language (`kit_t`) and in
    every language (`kit_labels`, for the bilingual 404 page), the language's folder, and the
    languages (addresses.py) so that no template spells one: `kit_default`, and `kit_langs`, each
    language's folder and locale, in order."""
    return {"kit_t": kit.t(lang), "kit_labels": {other: kit.t(other) for other in addresses.LANGS},
            "kit_prefix": addresses.prefix(lang), "kit_default": addresses.DEFAULT,
            "kit_langs": {other: {"prefix": addresses.prefix(other), "locale": addresses.LOCALES[other]}
                          for other in addresses.LANGS}}


def page_markdown(kit: data.Kit, markdown: str, page, lang: str, config) -> str:
    """A page's Markdown completed: a worksheet page from its data, markers expanded, the summary
    (« En bref ») after the title, the source box after the text. (The acronyms' tooltips come from the
    settings of Markdown's `abbr` extension: scripts/hooks.py, on_pre_build.)"""
    src = f"docs/{page.file.src_uri}"
    if page.meta.get("worksheet"):
        sheet, view = fiches.sheet_for(kit, page.meta, src)
        page.meta.update(fiches.page_meta(kit, sheet, view, lang))
        contact = pages.event_field((config.extra or {}).get("event"), "contact", lang)
        markdown = fiches.page_markdown(kit, sheet, view, lang, config.site_url, contact)
    extra = {"event": functools.partial(pages.render_event, event=(config.extra or {}).get("event")),
             "links": newsletter.render_placeholder, "offline": offline.render_download}
    markdown = pages.expand_markers(kit, markdown, lang, src, extra)
    if page.meta.get("summary") and not page.meta.get("worksheet"):  # a worksheet's is in its template
        markdown = pages.insert_summary(kit, markdown, page.meta["summary"], lang)
    if page.meta.get("sources") and page.meta.get("template") != "projection.html":
        markdown += "\n\n" + pages.source_box(kit, page.meta["sources"], lang, src)
    return markdown
