"""The Jinja environment of the kit's own templates: overrides/kit/ (fragments of pages, in HTML
or Markdown) and overrides/handouts/ (the PDF handouts).

Autoescaping is on for every template: a value from a data file or a page's front matter lands in
content or in an attribute escaped, whatever it holds. Data text that carries Markdown goes
through the filters `inline` and `block` (kit.text), which return safe HTML; `plain` gives its
words alone, for attributes. Globals hand over the facts other modules own: `field(sheet_id,
kind, number)` names a form field (kit.fields); `papers` (addresses.PAPERS), `editions` (every
edition of the handouts: its key in link maps, paper, print and the label naming it) and `langs`
(addresses.LANGS). A missing variable or label is an error, never an empty string.

Compiled templates, the theme's (through the hook `on_env`) and the kit's, are kept in
.cache/jinja/ (`compiled_templates`): a build compiles a template only when its source changed,
instead of once per language in every build. Jinja checks each entry against the template's source.
"""

from __future__ import annotations

import contextlib
import functools

import jinja2

from kit import addresses, fields, paths, text


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in a folder; one that cannot be written (a read-only
    checkout, a full disk) is not kept, and the build goes on compiling as it would without it."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def compiled_templates() -> jinja2.BytecodeCache:
    """The cache of compiled templates, for any Jinja environment of the build."""
    folder = paths.CACHE / "jinja"
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
    return _CompiledTemplates(str(folder))


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(paths.KIT_TEMPLATES), str(paths.HANDOUT_TEMPLATES)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,  # make serve: an edited template is read again
        bytecode_cache=compiled_templates(),
    )
    env.filters.update(inline=text.inline, block=text.block, plain=text.plain)
    env.globals.update(field=lambda *args: fields.name(*args),  # looked up at each call: a test may rename a part
                       papers=addresses.PAPERS, editions=editions(), langs=addresses.LANGS)
    return env


def editions() -> list[dict]:
    """The handouts' editions as the templates list them: [{key: "letter", paper, print, label:
    "paper_letter"}, …, {key: "large-print", …, label: "print_large"}] (label: a key of labels.yml)."""
    return [{"key": addresses.edition(paper, print_), "paper": paper, "print": print_,
             "label": f"print_{print_}" if print_ == addresses.LARGE else f"paper_{paper}"}
            for print_, paper in addresses.editions()]


def render(name: str, **context) -> str:
    """Render one template of overrides/kit/ or overrides/handouts/."""
    return environment().get_template(name).render(**context)
