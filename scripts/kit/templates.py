"""The Jinja environment of the kit's own templates: overrides/kit/ (fragments of pages, in HTML
or Markdown) and overrides/handouts/ (the PDF handouts).

Autoescaping is on for every template: a value from a data file or a page's front matter lands in
content or in an attribute escaped, whatever it holds. Data text that carries Markdown goes
through the filters `inline` and `block` (kit.text), which return safe HTML; `plain` gives its
words alone, for attributes. A missing variable or label is an error, never an empty string.
"""

from __future__ import annotations

import functools

import jinja2

from kit import paths, text


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
    )
    env.filters.update(inline=text.inline, block=text.block, plain=text.plain)
    return env


def render(name: str, **context) -> str:
    """Render one template of overrides/kit/ or overrides/handouts/."""
    return environment().get_template(name).render(**context)
