"""Corrections to the theme's HTML where its template blocks cannot reach (Material 9.8.1), and
one addition to every page's tables.

Found by the Nu HTML checker (tests/test_browser.py runs it over the whole site):
- `autocomplete="off"` on the drawer and search checkboxes (written outside any block of
  base.html): not allowed on checkboxes, so it is removed;
- on a section's index page the table of contents' label points to a `__toc` checkbox that
  the theme did not write: the label loses its `for`.

`label_table_cells` gives each cell of a table its column's heading (`data-label`), so that on a
phone, where the kit's stylesheet lays each row out as a card, every value keeps its heading.
"""

from __future__ import annotations

import re

CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?)\s+autocomplete="off"')
TOC_LABEL = '<label class="md-nav__title" for="__toc">'


TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.S)
HEAD_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
ROW = re.compile(r"<tr\b[^>]*>.*?</tr>", re.S)
CELL = re.compile(r"<td\b(?![^>]*\bdata-label=)")
TAG = re.compile(r"<[^>]+>")


def label_table_cells(html: str) -> str:
    """Each <td> of a table with a <thead> gets data-label="<its column's heading>"."""
    def one_table(table: re.Match) -> str:
        text = table.group(0)
        head, _, body = text.partition("</thead>")
        if not body:
            return text
        labels = [TAG.sub("", cell).strip().replace('"', "&quot;") for cell in HEAD_CELL.findall(head)]

        def one_row(row: re.Match) -> str:
            cells = iter(labels)
            return CELL.sub(lambda m: f'<td data-label="{next(cells, "")}"', row.group(0))

        return head + "</thead>" + ROW.sub(one_row, body)

    return TABLE.sub(one_table, html) if "<table" in html else html


def fix(html: str) -> str:
    html = CHECKBOX_AUTOCOMPLETE.sub(r"\1", html)
    if TOC_LABEL in html and 'id="__toc"' not in html:
        html = html.replace(TOC_LABEL, '<label class="md-nav__title">')
    return label_table_cells(html)
