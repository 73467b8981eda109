"""Corrections to the theme's HTML where its template blocks cannot reach (Material 9.8.1).

Found by the Nu HTML checker (tests/test_browser.py runs it over the whole site):
- `autocomplete="off"` on the drawer and search checkboxes (written outside any block of
  base.html): not allowed on checkboxes, so it is removed;
- on a section's index page the table of contents' label points to a `__toc` checkbox that
  the theme did not write: the label loses its `for`.
"""

from __future__ import annotations

import re

CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?)\s+autocomplete="off"')
TOC_LABEL = '<label class="md-nav__title" for="__toc">'


def fix(html: str) -> str:
    html = CHECKBOX_AUTOCOMPLETE.sub(r"\1", html)
    if TOC_LABEL in html and 'id="__toc"' not in html:
        html = html.replace(TOC_LABEL, '<label class="md-nav__title">')
    return html
