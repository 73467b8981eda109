"""MkDocs hooks of the kit: thin calls into the package scripts/kit/ (see its __init__ for the map).

mkdocs-static-i18n runs a whole build once per language, so these hooks keep no state: what they
need comes from their arguments and from `kit.data.load()`, which reads the data files once and
again only when one changed. Content problems raise `kit.data.KitError`, turned here into
`PluginError`: the build stops (served or strict) with the message, naming the file, and no
traceback.

Two things this file does for the whole run, since MkDocs keeps the hook module loaded:
- the kit's folder stays on sys.path (MkDocs puts it there only while it loads this file), so
  that worker processes started by `spawn` (macOS, Windows) can import the kit;
- under `make serve`, the kit's modules are imported afresh when one of their files changed,
  at the start of each build (`on_config`), so an edit to scripts/kit/ shows without a restart.
"""

from __future__ import annotations

import functools
import importlib
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

SCRIPTS = str(Path(__file__).resolve().parent)


def _kit_stamp() -> tuple:
    return tuple((p.name, p.stat().st_mtime_ns) for p in sorted(Path(SCRIPTS, "kit").glob("*.py")))


def _kit_importable() -> None:
    """Keep the kit's folder on sys.path for the rest of the run. MkDocs adds this file's folder only
    while it executes it, then restores sys.path; worker processes started by `spawn` copy sys.path
    when they start, and import the kit from there."""
    if SCRIPTS not in sys.path:
        sys.path.insert(0, SCRIPTS)


def _reload_kit_if_changed() -> None:
    """Forget the kit's modules when their files changed since they were imported (make serve)."""
    package = sys.modules.get("kit")
    if package is not None and getattr(package, "_stamp", None) != _kit_stamp():
        for name in [n for n in sys.modules if n == "kit" or n.startswith("kit.")]:
            del sys.modules[name]
    importlib.import_module("kit")._stamp = _kit_stamp()


def _content_errors(hook):
    """A content mistake (KitError) stops the build with its message alone."""
    @functools.wraps(hook)
    def wrapper(*args, **kwargs):
        _kit_importable()
        try:
            return hook(*args, **kwargs)
        except Exception as err:
            from kit import data, weasy  # imported now: on_config may have just re-imported the kit

            if isinstance(err, (data.KitError, weasy.MissingLibrary)):
                raise PluginError(str(err)) from None
            raise
    return wrapper


def _lang(config: MkDocsConfig) -> str:
    """The language being built; static-i18n sets it in its own on_config, after ours."""
    return config.theme["language"]


def _building_a_language(config: MkDocsConfig) -> bool:
    """True inside static-i18n's loop over the other languages (the outer build ends last)."""
    i18n = config.plugins.get("i18n")
    return bool(i18n is not None and i18n.building)


@_content_errors
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Fresh code and data; worksheet pages join the navigation; every menu entry has its English."""
    if not _building_a_language(config):
        _reload_kit_if_changed()
    from kit import data, site

    kit = data.load()
    site.add_worksheets_to_nav(kit, config)
    site.check_nav_translations(config)
    return config


@_content_errors
def on_pre_build(*, config: MkDocsConfig) -> None:
    """Only the French build writes the root 404 page, which is bilingual (static-i18n would let
    the language built last overwrite it). Every acronym of the glossary gets its tooltip on every
    page of the language: Markdown's `abbr` extension is given them as its glossary. The language
    is known from here on, not in on_config."""
    from kit import addresses, data, pages

    if _lang(config) != addresses.DEFAULT:
        config.theme.static_templates.discard("404.html")
    abbr = config.mdx_configs.setdefault("abbr", {})
    abbr["glossary"] = pages.abbreviations(data.load(), _lang(config))


@_content_errors
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Every page is UTF-8, has its translation and the same headings (checked over both languages'
    sources once, in the first language's build); then each worksheet's pages join the files. This
    runs before static-i18n's on_files, which picks each language's files (MkDocs runs higher
    priorities first: a hook's is 0, static-i18n's -100; see site.py)."""
    from kit import data, site

    kit = data.load()
    if not _building_a_language(config):
        site.check_sources(kit, files)
    return site.drop_template_files(site.add_worksheet_pages(kit, files, config))


@_content_errors
def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    """The worksheet pages get their text (site.fill_worksheet_pages). The files the kit makes join
    this language's files before any page is built: the handouts
    (rendered now, or taken from the cache), handouts.json and the redirect pages. So a Markdown
    link to a PDF is checked by the strict build, and `make serve` serves the PDFs. (Added here
    rather than in on_files: static-i18n, which picks each language's files there, cannot handle
    files that exist only in memory.)"""
    from kit import data, site

    kit = data.load()
    site.fill_worksheet_pages(kit, files)
    for uri, dest, kwargs in site.generated_files(kit, _lang(config), config.site_url, files):
        file = File.generated(config, uri, **kwargs)
        file.dest_uri = dest
        files.append(file)
    return nav


def on_env(env, *, config: MkDocsConfig, files: Files):
    """The theme's templates, compiled once and kept in .cache/jinja/ (each language's build makes
    a new environment, which would compile them all again)."""
    from kit import templates

    env.bytecode_cache = templates.compiled_templates()
    return env


@_content_errors
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Worksheet pages from their data; markers expanded; the summary; the source box."""
    from kit import data, site

    return site.page_markdown(data.load(), markdown, page, _lang(config), config)


@_content_errors
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """No script link in a page (javascript:, data:…), in its Markdown or its raw HTML."""
    from kit import pages

    pages.refuse_unsafe_links(html, f"docs/{page.file.src_uri}")
    return html


@_content_errors
def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    """The kit's labels for the theme's templates (`kit_t`); whether the page offers listening
    (`kit_listen`); the links page filled in once the whole navigation is known."""
    from kit import data, listen, newsletter, site

    kit = data.load()
    context.update(site.template_context(kit, _lang(config)), kit_listen=listen.offered(page.meta))
    if newsletter.PLACEHOLDER in (page.content or ""):
        page.content = newsletter.fill(kit, page.content, page, nav, config.site_url, _lang(config))
    return context


@_content_errors
def on_template_context(context: dict, *, template_name: str, config: MkDocsConfig) -> dict:
    """The kit's labels for pages made from a template alone (the 404 page)."""
    from kit import data, site

    context.update(site.template_context(data.load(), _lang(config)))
    return context


@_content_errors
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    """The listening controls under the title, where they stay (kit.listen); the theme's invalid
    markup mended; French pages get OQLF typography on their text (a page unchanged since the last
    build is taken as it finished then: kit.cache)."""
    from kit import cache, data, listen, markup, pause, typography

    lang = _lang(config)
    pause.at(f"pages-{lang}")  # tests only
    output = listen.place(data.load(), output, page.meta, lang, f"docs/{page.file.src_uri}")
    return cache.made(f"page-{lang}", output, lambda html: typography.html(markup.fix(html), lang))


def on_post_template(output: str, *, template_name: str, config: MkDocsConfig) -> str:
    """The same mending for pages rendered from a template alone (the 404 page)."""
    from kit import markup

    return markup.fix(output) if template_name.endswith(".html") else output


@event_priority(-200)  # after static-i18n, which builds English and merges the search index at -100
@_content_errors
def on_post_build(*, config: MkDocsConfig) -> None:
    """Once every language is built: one search index per language, then the offline zip of it all."""
    if _building_a_language(config):
        return
    from kit import offline, search

    search.split(config.site_dir)
    offline.package(config.site_dir, config.site_url)
